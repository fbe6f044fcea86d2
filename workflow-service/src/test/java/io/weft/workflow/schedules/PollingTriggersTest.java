package io.weft.workflow.schedules;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.executions.ExecutionsKafka;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Gmail Trigger's looks, asked of a stand-in executor, against real PostgreSQL (the claim, the
 * state) and real Kafka (the runs requested).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class PollingTriggersTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";

    @Inject
    PollingTriggers triggers;

    @Inject
    Pool pool;

    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String credential = UUID.randomUUID().toString();
    private ExecutionsKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new ExecutionsKafka();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    private String activeWorkflow() {
        String definition = "{\"name\":\"Inbox\",\"nodes\":[{\"id\":\"manual\",\"name\":\"Manual\",\"type\":\"trigger.manual\",\"typeVersion\":1},"
                + "{\"id\":\"mail\",\"name\":\"Mail\",\"type\":\"trigger.gmail\",\"typeVersion\":1,\"parameters\":{\"query\":\"from:billing\"},"
                + "\"credentials\":{\"gmailOAuth2\":{\"id\":\"" + credential + "\"}}}],\"connections\":[]}";
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(editor).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        return id;
    }

    private Row schedule(String workflowId) {
        return pool.preparedQuery("SELECT kind, node::text AS node, poll_state::text AS state, next_fire_at > now() AS later FROM schedules"
                        + " WHERE workflow_id = $1")
                .execute(Tuple.of(UUID.fromString(workflowId))).await().atMost(Duration.ofSeconds(5)).iterator().next();
    }

    /** Makes the trigger due and looks until the stand-in executor was asked once more; answers what it was asked. */
    private JsonObject lookNow(String workflowId) {
        int before = asked(workflowId).size();
        pool.preparedQuery("UPDATE schedules SET next_fire_at = now() - interval '1 second' WHERE workflow_id = $1")
                .execute(Tuple.of(UUID.fromString(workflowId))).await().atMost(Duration.ofSeconds(5));
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (asked(workflowId).size() == before && System.nanoTime() < until) {
            triggers.lookDue().await().atMost(Duration.ofSeconds(10));
        }
        List<JsonObject> all = asked(workflowId);
        assertThat(all).hasSize(before + 1);
        return all.get(all.size() - 1);
    }

    private static List<JsonObject> asked(String workflowId) {
        return FakeCompiler.LOOKS_ASKED.stream().filter(look -> workflowId.equals(look.getString("workflowId"))).toList();
    }

    @Test
    void eachNewMessageStartsOneRunAndTheStateGoesFromLookToLook() throws Exception {
        String workflowId = activeWorkflow();
        Row registered = schedule(workflowId);
        assertThat(registered.getString("kind")).isEqualTo("poll");
        assertThat(new JsonObject(registered.getString("node")).getString("type")).isEqualTo("trigger.gmail");
        assertThat(registered.getString("state")).isNull();
        FakeCompiler.LOOKS.put(workflowId, new ArrayDeque<>(List.of(
                "{\"items\":[],\"state\":{\"after\":100,\"seen\":[]}}",
                "{\"items\":[{\"id\":\"m1\",\"subject\":\"Invoice 1\"},{\"id\":\"m2\",\"subject\":\"Invoice 2\"}],\"state\":{\"after\":200,\"seen\":[]}}",
                "503",
                "{\"items\":[{\"id\":\"m2\",\"subject\":\"Invoice 2\"},{\"id\":\"m3\",\"subject\":\"Invoice 3\"}],\"state\":{\"after\":300,\"seen\":[]}}")));

        JsonObject first = lookNow(workflowId);
        assertThat(first.getString("type")).isEqualTo("trigger.gmail");
        assertThat(first.getString("nodeId")).isEqualTo("mail");
        assertThat(first.getString("credentialId")).isEqualTo(credential);
        assertThat(first.getJsonObject("parameters").getString("query")).isEqualTo("from:billing");
        assertThat(first.getValue("state")).isNull();
        assertThat(kafka.requestsOf(workflowId, Duration.ofMillis(800))).as("a look that finds nothing starts nothing").isEmpty();
        assertThat(schedule(workflowId).getString("state")).contains("\"after\": 100");

        assertThat(lookNow(workflowId).getJsonObject("state").getLong("after")).isEqualTo(100);
        List<ExecutionRequested> runs = kafka.requestsOf(workflowId, Duration.ofSeconds(2));
        assertThat(runs).extracting(run -> run.triggerData().path("subject").asText()).containsExactly("Invoice 1", "Invoice 2");
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.trigger()).isEqualTo(TriggerKind.POLL);
            assertThat(run.triggerNodeId()).isEqualTo("mail");
            assertThat(run.tenantId()).isEqualTo(tenant.toString());
        });
        Row after = schedule(workflowId);
        assertThat(after.getString("state")).contains("\"after\": 200");
        assertThat(after.getBoolean("later")).isTrue();

        assertThat(lookNow(workflowId).getJsonObject("state").getLong("after")).isEqualTo(200);
        assertThat(kafka.requestsOf(workflowId, Duration.ofMillis(800))).isEmpty();
        assertThat(schedule(workflowId).getString("state")).as("a failed look keeps the state").contains("\"after\": 200");
        assertThat(schedule(workflowId).getBoolean("later")).as("and moves the schedule on").isTrue();

        lookNow(workflowId);
        List<ExecutionRequested> again = kafka.requestsOf(workflowId, Duration.ofSeconds(2));
        assertThat(again).extracting(run -> run.triggerData().path("id").asText()).containsExactly("m2", "m3");
        assertThat(again.get(0).executionId()).as("a message found again is the same run").isEqualTo(runs.get(1).executionId());
        assertThat(again.get(1).executionId()).isNotIn(runs.stream().map(ExecutionRequested::executionId).toList());

        given().auth().oauth2(editor).post(WORKFLOWS + "/" + workflowId + "/deactivate").then().statusCode(200);
        int before = asked(workflowId).size();
        pool.preparedQuery("UPDATE schedules SET next_fire_at = now() - interval '1 second' WHERE workflow_id = $1")
                .execute(Tuple.of(UUID.fromString(workflowId))).await().atMost(Duration.ofSeconds(5));
        triggers.lookDue().await().atMost(Duration.ofSeconds(10));
        assertThat(asked(workflowId)).as("no looks once deactivated").hasSize(before);
    }
}
