package io.weft.executor.runs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.payloads.PayloadStore;
import io.weft.testsupport.InternalTokens;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Binary payloads and large outputs, through real Kafka and PostgreSQL: an HTTP response kept as a
 * payload and sent on by the next node, downloaded by its tenant only; items too large to sit in
 * a checkpoint stored once and read back on resume.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class BinaryPayloadsTest extends KafkaRunsTest {
    private static final byte[] IMAGE = new byte[200_000];

    static {
        new Random(7).nextBytes(IMAGE);
    }

    private HttpServer server;
    private final AtomicReference<byte[]> uploaded = new AtomicReference<>();
    private String base;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/image.png", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, IMAGE.length);
            exchange.getResponseBody().write(IMAGE);
            exchange.close();
        });
        server.createContext("/upload", exchange -> {
            uploaded.set(exchange.getRequestBody().readAllBytes());
            byte[] answer = ("{\"contentType\":\"" + exchange.getRequestHeaders().getFirst("Content-Type") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/large.json", exchange -> {
            byte[] answer = largeJson().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String largeJson() {
        StringBuilder rows = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 3000; i++) {
            rows.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"name\":\"row number ").append(i).append("\"}");
        }
        return rows.append("]}").toString();
    }

    private ExecutionRequested request(String executionId, ExecutionPlan plan) {
        return new ExecutionRequested(UUID.randomUUID().toString(), tenant, executionId, "wf-1", 3, plan.hash(),
                TriggerKind.MANUAL, "start", WeftJson.mapper().createObjectNode(), "user-1", null, null, Instant.now());
    }

    @Test
    void aDownloadedFileIsKeptAsAPayloadSentOnByTheNextNodeAndDownloadableByItsTenantOnly() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("download", "core.httpRequest", "{\"url\":\"" + base + "/image.png\",\"responseFormat\":\"binary\","
                        + "\"binaryProperty\":\"picture\"}")
                .node("upload", "core.httpRequest", "{\"method\":\"POST\",\"url\":\"" + base + "/upload\","
                        + "\"body\":{\"type\":\"binary\",\"binaryProperty\":\"picture\",\"contentType\":\"image/png\"}}")
                .connect("start", "main", "download", "main")
                .connect("download", "main", "upload", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(request(execution, plan));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(uploaded.get()).isEqualTo(IMAGE);
        NodeTransition downloaded = Transitions.first(events, "download", NodeTransition.Status.SUCCEEDED);
        assertThat(downloaded.outputPreview().toString()).contains("\"mimeType\":\"image/png\"", "\"sizeBytes\":200000")
                .doesNotContain("body");
        String id = PayloadStore.idOf(IMAGE);
        Row saved = pool.preparedQuery("SELECT output::text AS output FROM node_checkpoints WHERE execution_id = $1 AND node_id = 'upload'")
                .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(saved.getString("output")).contains("\"picture\": \"" + id + "\"");

        byte[] fetched = given().auth().oauth2(InternalTokens.user(tenantId, "vera", "viewer"))
                .get("/api/executor/payloads/" + id)
                .then().statusCode(200).contentType("application/octet-stream")
                .header("X-Content-Type-Options", "nosniff").header("Content-Disposition", containsString("attachment"))
                .extract().asByteArray();
        assertThat(fetched).isEqualTo(IMAGE);
        given().auth().oauth2(InternalTokens.user(UUID.randomUUID(), "eve", "owner"))
                .get("/api/executor/payloads/" + id).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(InternalTokens.apiKey(tenantId, "key-1", "workflows:read"))
                .get("/api/executor/payloads/" + id).then().statusCode(403);
        given().get("/api/executor/payloads/" + id).then().statusCode(401);
    }

    @Test
    void hostilePayloadIdsAreRefusedClearly() {
        String viewer = InternalTokens.user(tenantId, "vera", "viewer");
        for (String id : List.of("sha256-XYZ", "..%2F..%2Fetc%2Fpasswd", "sha256-" + "a".repeat(65), "' OR 1=1 --", "x".repeat(5000))) {
            given().auth().oauth2(viewer).get("/api/executor/payloads/" + id)
                    .then().statusCode(org.hamcrest.Matchers.oneOf(400, 404, 414))
                    .contentType(org.hamcrest.Matchers.anyOf(containsString("problem+json"), equalTo("")));
        }
        given().auth().oauth2(viewer).get("/api/executor/payloads/sha256-" + "0".repeat(64))
                .then().statusCode(404).body("detail", equalTo("there is no such payload"));
        given().auth().oauth2(viewer).get("/api/executor/payloads/sha256-XYZ")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aLargeItemIsCheckpointedOnceHoweverManyNodesPassItOnAndReadBackOnResume() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("fetch", "core.httpRequest", "{\"url\":\"" + base + "/large.json\"}")
                .node("pass", "core.noOp", "{}")
                .node("again", "core.noOp", "{}")
                .connect("start", "main", "fetch", "main")
                .connect("fetch", "main", "pass", "main")
                .connect("pass", "main", "again", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(request(execution, plan));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        List<String> references = new ArrayList<>();
        pool.preparedQuery("SELECT output->'ports'->'main'->0->>'jsonPayload' AS ref FROM node_checkpoints"
                        + " WHERE execution_id = $1 AND node_id IN ('fetch', 'pass', 'again')")
                .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5)).forEach(row -> references.add(row.getString("ref")));
        assertThat(references).hasSize(3).doesNotContainNull().containsOnly(references.get(0));
        long stored = pool.preparedQuery("SELECT count(*) AS n FROM payloads WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, references.get(0))).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
        assertThat(stored).isEqualTo(1);

        // A second execution whose executor died after "pass": it resumes from checkpoints that refer to the payload.
        String resumed = "exec-" + UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_node_id,
                                        trigger_data, status, sequence, lease_owner, lease_until, runs)
                VALUES ($1, $2, 'wf-1', 3, $3, 'MANUAL', 'start', '{}', 'running', 1004, 'executor-dead',
                        now() - interval '1 minute', 1)""").execute(Tuple.of(resumed, tenant, plan.hash()))
                .await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("""
                INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, duration_ns)
                SELECT $1, node_id, status, attempt, output, duration_ns FROM node_checkpoints
                WHERE execution_id = $2 AND node_id IN ('start', 'fetch', 'pass')""").execute(Tuple.of(resumed, execution))
                .await().atMost(Duration.ofSeconds(5));

        kafka.send(request(resumed, plan));
        List<ExecutionEvent> resumedEvents = kafka.untilTerminal(resumed, WITHIN);

        assertThat(Transitions.started(resumedEvents)).containsExactly("again");
        NodeTransition again = Transitions.last(resumedEvents);
        assertThat(again.itemCount()).isEqualTo(1);
        assertThat(again.outputPreview().toString()).contains("row number 0");
    }
}
