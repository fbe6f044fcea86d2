package io.weft.executor.runs;

import io.weft.testsupport.TestTopics;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.deadletters.DeadLetters;
import io.weft.executor.engine.TestPlans;
import io.weft.testsupport.InternalTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Poison executions become dead letters; tenants list, inspect, redrive and discard theirs. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class DeadLettersApiTest extends KafkaRunsTest {
    private static final String API = "/api/executor/dead-letters";

    private final String admin = InternalTokens.user(tenantId, "ada", "admin");

    @Inject
    DeadLetters deadLetters;
    private static ExecutionPlan plan() {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("price", "core.set", "{\"fields\":[{\"name\":\"total\",\"value\":\"{{ $json.amount }}\"}]}")
                .node("done", "core.set", "{\"fields\":[{\"name\":\"done\",\"value\":true}]}")
                .connect("start", "main", "price", "main")
                .connect("price", "main", "done", "main")
                .build();
    }

    /** What executors that kept dying left: the trigger checkpointed, a lease run out, three takeovers already. */
    private String poisonExecution(ExecutionPlan plan) {
        String execution = "exec-" + UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_node_id,
                                        trigger_data, status, sequence, lease_owner, lease_until, runs, takeovers)
                VALUES ($1, $2, 'wf-1', 3, $3, 'MANUAL', 'start', '{"amount":5}', 'running', 4000000, 'executor-dead',
                        now() - interval '1 minute', 4, 3)""").execute(Tuple.of(execution, tenant.toString(), plan.hash()))
                .await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, duration_ns)"
                        + " VALUES ($1, 'start', 'SUCCEEDED', 1, '{\"ports\":{\"main\":[{\"json\":{\"amount\":5}}]}}', 1000)")
                .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5));
        return execution;
    }

    private ExecutionRequested request(String executionId, ExecutionPlan plan) {
        return new ExecutionRequested(UUID.randomUUID().toString(), tenant.toString(), executionId, "wf-1", 3, plan.hash(),
                TriggerKind.MANUAL, "start", WeftJson.mapper().createObjectNode().put("amount", 5), "user-1", null, null, Instant.now());
    }

    private String letterOf(String execution) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            var rows = pool.preparedQuery("SELECT id FROM dead_letters WHERE execution_id = $1").execute(Tuple.of(execution))
                    .await().atMost(Duration.ofSeconds(5));
            if (rows.rowCount() > 0) {
                return rows.iterator().next().getString("id");
            }
        }
        throw new AssertionError("no dead letter for " + execution);
    }

    private String storedLetter(String reason) {
        String id = UUID.randomUUID().toString();
        pool.preparedQuery("""
                INSERT INTO dead_letters (id, tenant_id, execution_id, source_topic, source_partition, source_offset, reason, message, payload)
                VALUES ($1, $2, NULL, $5, 0, $3, $4, 'stored by the test', '\\x00ff'::bytea)""")
                .execute(Tuple.of(id, tenant.toString(), -Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) - 1, reason,
                        TestTopics.EXECUTION_REQUESTS))
                .await().atMost(Duration.ofSeconds(5));
        return id;
    }

    @Test
    void aPoisonExecutionFailsBecomesADeadLetterAndARedriveFinishesItFromItsCheckpoints() throws Exception {
        ExecutionPlan plan = plan();
        FakeCompilerPlans.publish(tenant.toString(), plan);
        String execution = poisonExecution(plan);

        kafka.send(request(execution, plan));
        List<ExecutionEvent> failedRun = kafka.untilTerminal(execution, WITHIN);
        ExecutionEvent.ExecutionFailed failed = (ExecutionEvent.ExecutionFailed) failedRun.get(failedRun.size() - 1);
        assertThat(failed.error().message()).contains("poison execution");
        assertThat(Transitions.all(failedRun)).isEmpty();
        String id = letterOf(execution);

        given().auth().oauth2(admin).get(API).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(id))
                .body("items[0].reason", equalTo("CRASHED_EXECUTOR_REPEATEDLY")).body("items[0].status", equalTo("open"))
                .body("items[0].executionId", equalTo(execution)).body("items[0].payload", nullValue());
        given().auth().oauth2(admin).get(API + "/" + id).then().statusCode(200)
                .body("payload", containsString(execution)).body("headers.ce_type", notNullValue())
                .body("message", containsString("taken over"));

        given().auth().oauth2(admin).post(API + "/" + id + "/redrive").then().statusCode(200)
                .body("status", equalTo("redriven")).body("handledBy", equalTo("ada"));
        long deadline = System.nanoTime() + WITHIN.toNanos();
        List<ExecutionEvent> events = failedRun;
        while (!(events.get(events.size() - 1) instanceof ExecutionEvent.ExecutionSucceeded) && System.nanoTime() < deadline) {
            events = kafka.during(execution, Duration.ofMillis(200));
        }
        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(events).filteredOn(e -> e instanceof ExecutionEvent.ExecutionStarted started && started.resumed()).hasSize(1);
        assertThat(Transitions.started(events)).containsExactly("price", "done");
        assertThat(events).extracting(ExecutionEvent::sequence).isSorted().doesNotHaveDuplicates();

        given().auth().oauth2(admin).post(API + "/" + id + "/redrive").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("redriven already"));
        given().auth().oauth2(admin).delete(API + "/" + id).then().statusCode(409);
    }

    @Test
    void aDiscardedLetterStaysOnRecordAndCannotBeRedriven() {
        String id = storedLetter("EXECUTION_FAILED_PERMANENTLY");

        given().auth().oauth2(admin).get(API + "/" + id).then().statusCode(200)
                .body("payload", nullValue()).body("payloadBase64", equalTo("AP8="));
        given().auth().oauth2(admin).delete(API + "/" + id).then().statusCode(204);
        given().auth().oauth2(admin).get(API + "/" + id).then().statusCode(200).body("status", equalTo("discarded"));
        given().auth().oauth2(admin).queryParam("status", "open").get(API).then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(admin).post(API + "/" + id + "/redrive").then().statusCode(409);
    }

    @Test
    void lettersAreTenantScopedAndForAdmins() {
        String id = storedLetter("EXECUTION_FAILED_PERMANENTLY");
        String otherAdmin = InternalTokens.user(UUID.randomUUID(), "eve", "admin");

        given().auth().oauth2(otherAdmin).get(API + "/" + id).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(otherAdmin).post(API + "/" + id + "/redrive").then().statusCode(404);
        given().auth().oauth2(otherAdmin).delete(API + "/" + id).then().statusCode(404);
        given().auth().oauth2(otherAdmin).get(API).then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(InternalTokens.user(tenantId, "bo", "editor")).get(API).then().statusCode(403);
        given().auth().oauth2(InternalTokens.apiKey(tenantId, "key-1", "executions:read")).get(API + "/" + id).then().statusCode(200);
        given().auth().oauth2(InternalTokens.apiKey(tenantId, "key-1", "executions:read")).delete(API + "/" + id).then().statusCode(403);
        given().get(API).then().statusCode(401);
    }

    @Test
    void pagesWithACursorAndRefusesHostileParameters() {
        for (int i = 0; i < 3; i++) {
            storedLetter("EXECUTION_FAILED_PERMANENTLY");
        }
        String next = given().auth().oauth2(admin).queryParam("limit", 2).get(API).then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", notNullValue()).extract().path("nextCursor");
        given().auth().oauth2(admin).queryParam("limit", 2).queryParam("cursor", next).get(API).then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", nullValue());

        given().auth().oauth2(admin).queryParam("status", "<script>").get(API).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("status"));
        given().auth().oauth2(admin).queryParam("reason", "'; DROP TABLE dead_letters; --").get(API).then().statusCode(400);
        given().auth().oauth2(admin).queryParam("limit", "100000").get(API).then().statusCode(400);
        given().auth().oauth2(admin).queryParam("cursor", "not-a-cursor").get(API).then().statusCode(400);
        given().auth().oauth2(admin).queryParam("cursor", "x".repeat(3000)).get(API).then().statusCode(400);
        given().auth().oauth2(admin).get(API + "/" + "x".repeat(2000)).then().statusCode(404);
        given().auth().oauth2(admin).get(API + "/%00").then().statusCode(404);
        given().auth().oauth2(admin).contentType("application/json").body("{\"x\":" + "[".repeat(10000))
                .post(API + "/" + UUID.randomUUID() + "/redrive").then().statusCode(404);
    }

    /**
     * A record is a dead letter once however often it is redelivered; a new broker (or a topic made
     * again) hands out old offsets to new records, and their letters are kept too.
     */
    @Test
    void aLetterIsKeptOncePerRecordEvenWhereABrokerReusedItsOffset() {
        long offset = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        var first = new ConsumerRecord<String, byte[]>(TestTopics.EXECUTION_REQUESTS, 7, offset, "k", "first record".getBytes());
        var redelivered = new ConsumerRecord<String, byte[]>(TestTopics.EXECUTION_REQUESTS, 7, offset, "k", "first record".getBytes());
        var afterANewBroker = new ConsumerRecord<String, byte[]>(TestTopics.EXECUTION_REQUESTS, 7, offset, "k", "another record".getBytes());

        deadLetters.record(first, DeadLetter.Reason.UNREADABLE_MESSAGE, "unreadable");
        deadLetters.record(redelivered, DeadLetter.Reason.UNREADABLE_MESSAGE, "unreadable");
        deadLetters.record(afterANewBroker, DeadLetter.Reason.UNREADABLE_MESSAGE, "unreadable");

        var payloads = pool.preparedQuery("SELECT convert_from(payload, 'UTF8') AS p FROM dead_letters"
                        + " WHERE source_topic = $1 AND source_partition = 7 AND source_offset = $2 ORDER BY created_at")
                .execute(Tuple.of(TestTopics.EXECUTION_REQUESTS, offset)).await().atMost(Duration.ofSeconds(5));
        assertThat(payloads).extracting(row -> row.getString("p")).containsExactlyInAnyOrder("first record", "another record");
    }
}
