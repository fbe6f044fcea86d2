package io.weft.workflow.executions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A tenant's tier bounds its executions across workflows (tests: the free tier runs 2 at once and
 * holds 2 more), for runs with a token and for webhooks, which run on the tier recorded at
 * activation (real Kafka and PostgreSQL).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class TierLimitsTest extends KafkaApiTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";
    private static final String EXECUTIONS = "/api/orchestrator/executions";

    @Inject
    PendingRuns pendingRuns;

    @Inject
    Pool pool;

    private final String freeEditor = InternalTokens.user(tenant, "editor-1", "editor", "free");

    private String activeWorkflow(String token, String nodes) {
        String definition = "{\"name\":\"Tiered\",\"nodes\":[" + nodes + "],\"connections\":[]}";
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(token).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        return id;
    }

    private String manualWorkflow() {
        return activeWorkflow(freeEditor, "{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\",\"typeVersion\":1}");
    }

    private String run(String workflowId, String expectedStatus) {
        return given().auth().oauth2(freeEditor).contentType(ContentType.JSON).body("{}").post(WORKFLOWS + "/" + workflowId + "/run")
                .then().statusCode(202).body("status", equalTo(expectedStatus)).extract().path("executionId");
    }

    private String status(String execution) {
        return given().auth().oauth2(freeEditor).get(EXECUTIONS + "/" + execution).path("status");
    }

    private void awaitStatus(String execution, String status) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline && !status.equals(status(execution))) {
            Thread.sleep(50);
        }
        assertThat(status(execution)).isEqualTo(status);
    }

    /** What the executor would publish for a run that starts and ends. */
    private void finish(String workflowId, String execution) throws Exception {
        String tid = tenant.toString();
        kafka.send(new ExecutionEvent.ExecutionStarted("s-" + execution, tid, execution, workflowId, 1, 1, "h", TriggerKind.MANUAL, "x",
                        false, Instant.now()),
                new ExecutionEvent.ExecutionSucceeded("d-" + execution, tid, execution, workflowId, 2, 3, null, List.of(), Instant.now()));
        awaitStatus(execution, "succeeded");
    }

    @Test
    void runsBeyondTheTiersLimitWaitAcrossWorkflowsAndBeyondWhatItHoldsAreRefused() throws Exception {
        String first = manualWorkflow();
        String second = manualWorkflow();
        String a = run(first, "queued");
        String b = run(second, "queued");
        String c = run(first, "pending");
        String d = run(second, "pending");
        given().auth().oauth2(freeEditor).contentType(ContentType.JSON).body("{}").post(WORKFLOWS + "/" + second + "/run")
                .then().statusCode(429).contentType("application/problem+json").body("detail", containsString("waiting"));
        ExecutionRequested admitted = kafka.requestFor(a, WITHIN);
        assertThat(admitted.retainDays()).as("the executor keeps a free tenant's run 7 days").isEqualTo(7);
        assertThat(admitted.llmTokensPerMonth()).as("and charges its model calls to the free tier's budget").isEqualTo(200_000L);
        kafka.requestFor(b, WITHIN);
        assertThat(kafka.requestsOf(first, Duration.ofMillis(1500))).as("nothing sent beyond the tier").isEmpty();

        finish(second, b);
        ExecutionRequested released = kafka.requestFor(c, WITHIN);
        assertThat(released.executionId()).as("the oldest held run goes first").isEqualTo(c);
        assertThat(released.retainDays()).as("a held run keeps its retention").isEqualTo(7);
        assertThat(released.llmTokensPerMonth()).as("and its budget").isEqualTo(200_000L);
        awaitStatus(c, "queued");
        assertThat(status(d)).isEqualTo("pending");

        finish(first, a);
        assertThat(kafka.requestFor(d, WITHIN).executionId()).isEqualTo(d);
        awaitStatus(d, "queued");
    }

    @Test
    void webhooksRunOnTheTierRecordedAtActivationWithItsBodyLimit() throws Exception {
        String workflowId = activeWorkflow(freeEditor, "{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\",\"typeVersion\":1},"
                + "{\"id\":\"hook\",\"name\":\"Hook\",\"type\":\"trigger.webhook\",\"typeVersion\":1,"
                + "\"parameters\":{\"method\":\"POST\",\"path\":\"in\",\"respond\":\"immediately\",\"authentication\":\"none\"}}");
        List<Map<String, Object>> hooks = given().auth().oauth2(freeEditor).get(WORKFLOWS + "/" + workflowId + "/webhooks")
                .then().statusCode(200).extract().path("webhooks");
        String url = (String) hooks.get(0).get("url");

        given().contentType(ContentType.JSON).body("{\"big\":\"" + "x".repeat(2000) + "\"}").post(url).then().statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("1024"));
        String[] calls = new String[3];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = given().contentType(ContentType.JSON).body("{\"n\":" + i + "}").post(url).then().statusCode(202)
                    .extract().path("executionId");
        }
        kafka.requestFor(calls[0], WITHIN);
        kafka.requestFor(calls[1], WITHIN);
        awaitStatus(calls[2], "pending");

        // The tenant moves to pro: the next activation records it, and the held call goes at once.
        String pro = InternalTokens.user(tenant, "editor-1", "editor", "pro");
        given().auth().oauth2(pro).post(WORKFLOWS + "/" + workflowId + "/deactivate").then().statusCode(200);
        given().auth().oauth2(pro).post(WORKFLOWS + "/" + workflowId + "/activate").then().statusCode(200);
        pendingRuns.release().await().atMost(WITHIN);
        assertThat(kafka.requestFor(calls[2], WITHIN).executionId()).isEqualTo(calls[2]);
        given().contentType(ContentType.JSON).body("{\"big\":\"" + "x".repeat(2000) + "\"}").post(url).then().statusCode(202);
    }

    @Test
    void aRunAdmittedButNeverSentIsMarkedFailedAfterAnHourAndFreesItsSlot() throws Exception {
        String workflowId = manualWorkflow();
        String lost = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO executions (tenant_id, id, workflow_id, workflow_version, status, created_at)"
                        + " VALUES ($1, $2, $3, 1, 'queued', now() - interval '2 hours')")
                .execute(Tuple.of(tenant, lost, workflowId)).await().atMost(WITHIN);
        run(workflowId, "queued");
        run(workflowId, "pending");

        pendingRuns.poll().await().atMost(WITHIN);
        given().auth().oauth2(freeEditor).get(EXECUTIONS + "/" + lost).then().statusCode(200)
                .body("status", equalTo("failed")).body("error.message", containsString("never reached the executors"));
        pendingRuns.release().await().atMost(WITHIN);
        assertThat(kafka.requestsOf(workflowId, Duration.ofSeconds(3))).hasSize(2);
    }

    /**
     * Tenants whose held runs cannot be sent yet must not keep the others' turn from coming: 120
     * tenants at their limit sort before one whose held run fits, and a poll takes 100 tenants.
     */
    @Test
    void tenantsThatCannotSendTheirHeldRunsDoNotStarveTheOthers() throws Exception {
        String blockedPrefix = "00000000-0000-4000-8000-" + UUID.randomUUID().toString().substring(0, 4);
        pool.preparedQuery("""
                        WITH tenants AS (SELECT ($1 || lpad(to_hex(n), 8, '0'))::uuid AS tenant_id FROM generate_series(1, 120) AS n),
                             busy AS (INSERT INTO executions (tenant_id, id, workflow_id, workflow_version, status, created_at)
                                      SELECT tenant_id, 'busy-' || tenant_id || '-' || i, 'wf', 1, 'running', now()
                                      FROM tenants, generate_series(1, 5) AS i)
                        INSERT INTO pending_runs (tenant_id, execution_id, workflow_id, run_limit, request)
                        SELECT tenant_id, 'held-' || tenant_id, 'wf', NULL, '{}'::jsonb FROM tenants""")
                .execute(Tuple.of(blockedPrefix)).await().atMost(WITHIN);
        UUID last = UUID.fromString("ffffffff-ffff-4fff-bfff-" + UUID.randomUUID().toString().substring(24));
        String fits = UUID.randomUUID().toString();
        ExecutionRequested held = new ExecutionRequested(UUID.randomUUID().toString(), last.toString(), fits, "wf-last", 1, "h",
                TriggerKind.MANUAL, "start", null, "user-1", null, null, Instant.now(), 7, null);
        pool.preparedQuery("INSERT INTO pending_runs (tenant_id, execution_id, workflow_id, run_limit, request) VALUES ($1, $2, 'wf-last', NULL, $3::text::jsonb)")
                .execute(Tuple.of(last, fits, io.weft.contracts.json.WeftJson.mapper().writeValueAsString(held))).await().atMost(WITHIN);
        try {
            for (int poll = 0; poll < 4 && pendingRunsOf(last) > 0; poll++) {
                pendingRuns.release().await().atMost(WITHIN);
            }
            assertThat(pendingRunsOf(last)).as("the last tenant's held run was sent within a few polls").isZero();
            assertThat(kafka.requestFor(fits, WITHIN).tenantId()).isEqualTo(last.toString());
        } finally {
            pool.preparedQuery("DELETE FROM pending_runs WHERE tenant_id::text LIKE $1 || '%'").execute(Tuple.of(blockedPrefix))
                    .await().atMost(WITHIN);
            pool.preparedQuery("DELETE FROM executions WHERE tenant_id::text LIKE $1 || '%'").execute(Tuple.of(blockedPrefix))
                    .await().atMost(WITHIN);
            pool.preparedQuery("DELETE FROM pending_runs WHERE tenant_id = $1").execute(Tuple.of(last)).await().atMost(WITHIN);
        }
    }

    private long pendingRunsOf(UUID tenant) {
        return pool.preparedQuery("SELECT count(*) AS n FROM pending_runs WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().atMost(WITHIN).iterator().next().getLong("n");
    }
}
