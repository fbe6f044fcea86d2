package io.weft.workflow.executions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on manual runs and retries, over real PostgreSQL and Kafka: the same key
 * answers the same execution, whatever happened to the first answer.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class IdempotentRunsTest extends KafkaApiTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";
    private static final String EXECUTIONS = "/api/orchestrator/executions";
    private static final String PROBLEMS = "https://weft.dev/problems/";

    @Inject
    Pool pool;

    private RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private String activeWorkflow() {
        String definition = "{\"name\":\"Refunds\",\"nodes\":[{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\","
                + "\"typeVersion\":1},{\"id\":\"shape\",\"name\":\"Shape\",\"type\":\"core.set\",\"typeVersion\":1}],\"connections\":[]}";
        String id = as(editor).body("{\"definition\":" + definition + "}").post(WORKFLOWS).then().statusCode(201).extract().path("id");
        as(editor).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        return id;
    }

    private ExtractableResponse<Response> run(String token, String workflowId, String key, String body) {
        RequestSpecification request = as(token).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post(WORKFLOWS + "/" + workflowId + "/run").then().extract();
    }

    private long executionsOf(String workflowId) {
        return pool.preparedQuery("SELECT count(*) FROM executions WHERE tenant_id = $1 AND workflow_id = $2")
                .execute(Tuple.of(tenant, workflowId)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void theSameKeyAnswersTheSameExecutionAndSendsItOnceItHasStarted() throws Exception {
        String workflowId = activeWorkflow();
        String key = UUID.randomUUID().toString();

        var first = run(editor, workflowId, key, "{\"input\":{\"refund\":42}}");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        String execution = first.path("executionId");
        kafka.requestFor(execution, WITHIN);

        // The executor has started it: a repeated request answers it, and sends nothing.
        kafka.send(new ExecutionEvent.ExecutionStarted("s1", tenant.toString(), execution, workflowId, 1, 1, "h", TriggerKind.MANUAL,
                "executor-a", false, Instant.now()));
        until(() -> "running".equals(as(viewer).get(EXECUTIONS + "/" + execution).path("status")));
        var again = run(editor, workflowId, key, "{\"input\":{\"refund\":42}}");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo(EXECUTIONS + "/" + execution);
        assertThat(again.<String>path("executionId")).isEqualTo(execution);
        assertThat(again.<String>path("workflowId")).isEqualTo(workflowId);
        assertThat(again.<Integer>path("workflowVersion")).isEqualTo(1);
        assertThat(again.<String>path("status")).isEqualTo("running");

        assertThat(kafka.requestsOf(workflowId, Duration.ofSeconds(1))).as("nothing sent again").isEmpty();
        assertThat(executionsOf(workflowId)).isEqualTo(1);
        // Another caller of the same tenant with the same key gets the same answer; another tenant's key is its own.
        assertThat(run(InternalTokens.apiKey(tenant, "k", "executions:run"), workflowId, key, "{\"input\":{\"refund\":42}}")
                .<String>path("executionId")).isEqualTo(execution);
        assertThat(run(InternalTokens.user(UUID.randomUUID(), "editor-2", "editor"), workflowId, key, "{\"input\":{\"refund\":42}}")
                .statusCode()).as("another tenant's key is its own, and the workflow is not its").isEqualTo(404);
        assertThat(executionsOf(workflowId)).isEqualTo(1);
    }

    /** An executor's Call Workflow Tool starts runs with its service token and the tool call's key. */
    @Test
    void aServiceStartsARunOnceForItsKeyUnderTheTenantsRecordedTier() throws Exception {
        String workflowId = activeWorkflow();
        assertThat(run(InternalTokens.user(tenant, "editor-pro", "editor", "pro"), workflowId, null, "{}").statusCode())
                .as("a pro user's run records the tenant's tier").isEqualTo(202);
        String executor = InternalTokens.service(tenant, "executor", "executions:run");
        String key = tenant + ":exec-parent:agent:i0.t1.0:0";

        var first = run(executor, workflowId, key, "{\"input\":{\"orderId\":\"A-17\"}}");
        assertThat(first.statusCode()).isEqualTo(202);
        ExecutionRequested request = kafka.requestFor(first.path("executionId"), WITHIN);
        assertThat(request.requestedBy()).isEqualTo("service:executor");
        assertThat(request.triggerData().path("orderId").asText()).isEqualTo("A-17");
        assertThat(request.llmTokensPerMonth()).as("the tier recorded for the tenant (pro), not a service's lack of one")
                .isEqualTo(10_000_000L);
        assertThat(run(executor, workflowId, key, "{\"input\":{\"orderId\":\"A-17\"}}").<String>path("executionId"))
                .isEqualTo(first.<String>path("executionId"));
        assertThat(run(InternalTokens.service(tenant, "executor", "workflows:read"), workflowId, null, "{}").statusCode())
                .as("without executions:run").isEqualTo(403);
    }

    /** Runs that start runs carry how deep they are; a chain deeper than weft.runs.max-call-depth (8) stops. */
    @Test
    void aRunStartedByARunIsOneDeeperAndAChainTooDeepIsRefused() throws Exception {
        String workflowId = activeWorkflow();
        String executor = InternalTokens.service(tenant, "executor", "executions:run");

        var child = as(executor).header("X-Weft-Call-Depth", "3").body("{}").post(WORKFLOWS + "/" + workflowId + "/run").then().extract();
        assertThat(child.statusCode()).isEqualTo(202);
        assertThat(kafka.requestFor(child.path("executionId"), WITHIN).callDepth()).isEqualTo(3);

        var tooDeep = as(executor).header("X-Weft-Call-Depth", "9").body("{}").post(WORKFLOWS + "/" + workflowId + "/run").then().extract();
        assertThat(tooDeep.statusCode()).isEqualTo(409);
        assertThat(tooDeep.contentType()).startsWith("application/problem+json");
        assertThat(tooDeep.<String>path("detail")).contains("stop at 8");
        for (String hostile : List.of("-1", "abc", "99999", "1.5")) {
            assertThat(as(executor).header("X-Weft-Call-Depth", hostile).body("{}").post(WORKFLOWS + "/" + workflowId + "/run")
                    .statusCode()).as(hostile).isEqualTo(400);
        }

        var byUser = as(editor).header("X-Weft-Call-Depth", "9").body("{}").post(WORKFLOWS + "/" + workflowId + "/run").then().extract();
        assertThat(byUser.statusCode()).as("a user's run is top-level, whatever it says").isEqualTo(202);
        assertThat(kafka.requestFor(byUser.path("executionId"), WITHIN).callDepth()).isNull();
    }

    /**
     * The window a killed service leaves: the run's row and key are committed, its request never
     * reached Kafka, the caller got a 502. Asked again with the key, the run is sent then, once
     * more if need be (the executors take an execution once, however often it is requested).
     */
    @Test
    void aRunAdmittedButNeverSentIsSentWhenItsKeyComesAgain() throws Exception {
        String workflowId = activeWorkflow();
        String key = "order-" + UUID.randomUUID();
        String execution = run(editor, workflowId, key, "{\"input\":{\"refund\":7}}").path("executionId");
        ExecutionRequested original = kafka.requestFor(execution, WITHIN);

        var again = run(editor, workflowId, key, "{\"input\":{\"refund\":7}}");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.<String>path("executionId")).isEqualTo(execution);
        assertThat(again.<String>path("status")).isEqualTo("queued");
        ExecutionRequested resent = kafka.requestFor(execution, WITHIN);
        assertThat(resent).as("the same request, as first admitted").isEqualTo(original);
        assertThat(executionsOf(workflowId)).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneKeyStartOneExecution() throws Exception {
        String workflowId = activeWorkflow();
        String key = UUID.randomUUID().toString();
        ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(callers.submit((Callable<ExtractableResponse<Response>>) () -> run(editor, workflowId, key, "{}")));
            }
            Set<String> executions = new HashSet<>();
            for (Future<ExtractableResponse<Response>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(202);
                executions.add(answer.get().path("executionId"));
            }
            assertThat(executions).hasSize(1);
        } finally {
            callers.shutdownNow();
        }
        assertThat(executionsOf(workflowId)).isEqualTo(1);
    }

    @Test
    void aKeyUsedForAnotherRequestIsRefusedAndBadKeysAreProblems() {
        String workflowId = activeWorkflow();
        String key = UUID.randomUUID().toString();
        run(editor, workflowId, key, "{\"input\":{\"refund\":1}}");

        var reused = run(editor, workflowId, key, "{\"input\":{\"refund\":1000}}");
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(reused.<String>path("type")).isEqualTo(PROBLEMS + "idempotency-key-reused");
        assertThat(run(editor, activeWorkflow(), key, "{\"input\":{\"refund\":1}}").statusCode()).as("another workflow").isEqualTo(422);

        for (String bad : List.of("x".repeat(256), "naïve", "a b")) {
            var refused = run(editor, workflowId, bad, "{}");
            assertThat(refused.statusCode()).as("'%s'", bad).isEqualTo(400);
            assertThat(refused.<String>path("type")).isEqualTo(PROBLEMS + "validation-failed");
        }
        assertThat(executionsOf(workflowId)).isEqualTo(1);
        assertThat(run(editor, workflowId, "x".repeat(255), "{}").statusCode()).isEqualTo(202);
    }

    @Test
    void aKeyLastsADayAndIsThenPruned() throws Exception {
        String workflowId = activeWorkflow();
        String key = UUID.randomUUID().toString();
        String first = run(editor, workflowId, key, "{}").path("executionId");
        pool.preparedQuery("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND key = $2")
                .execute(Tuple.of(tenant, key)).await().indefinitely();

        String second = run(editor, workflowId, key, "{\"input\":{\"other\":true}}").path("executionId");
        assertThat(second).as("an expired key starts afresh, whatever it was used for").isNotEqualTo(first);
        assertThat(run(editor, workflowId, key, "{\"input\":{\"other\":true}}").<String>path("executionId")).isEqualTo(second);

        pool.preparedQuery("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND key = $2")
                .execute(Tuple.of(tenant, key)).await().indefinitely();
        IdempotencyKeys keys = io.quarkus.arc.Arc.container().instance(IdempotencyKeys.class).get();
        keys.pruneOlderThan(OffsetDateTime.now(ZoneOffset.UTC).minusHours(24)).await().indefinitely();
        assertThat(pool.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().indefinitely().iterator().next().getLong(0)).isZero();
    }

    @Test
    void aKeyWhoseRunWasPrunedSaysSoAndStartsNothing() {
        String workflowId = activeWorkflow();
        String key = UUID.randomUUID().toString();
        String execution = run(editor, workflowId, key, "{}").path("executionId");
        pool.preparedQuery("DELETE FROM executions WHERE tenant_id = $1 AND id = $2").execute(Tuple.of(tenant, execution))
                .await().indefinitely();

        var again = run(editor, workflowId, key, "{}");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.<String>path("executionId")).isEqualTo(execution);
        assertThat(again.<String>path("status")).isEqualTo("deleted");
        assertThat(executionsOf(workflowId)).isZero();
    }

    @Test
    void retriesTakeAKeyToo() throws Exception {
        String workflowId = activeWorkflow();
        String failed = "exec-" + UUID.randomUUID();
        Instant t = Instant.now();
        kafka.send(new ExecutionEvent.ExecutionStarted("f1", tenant.toString(), failed, workflowId, 1, 1, "h", TriggerKind.MANUAL, "x",
                        false, t),
                new ExecutionEvent.ExecutionFailed("f2", tenant.toString(), failed, workflowId, 2, 5, "shape",
                        new ExecutionError(ErrorKind.HTTP_SERVER_ERROR, "answered 500", true, "shape", null), List.of(), t));
        until(() -> "failed".equals(as(viewer).get(EXECUTIONS + "/" + failed).path("status")));

        String key = UUID.randomUUID().toString();
        var retry = as(editor).header("Idempotency-Key", key).post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(202)
                .body("retryOf", equalTo(failed)).body("from", equalTo("failedNode")).extract();
        var again = as(editor).header("Idempotency-Key", key).post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(202)
                .header("Idempotent-Replayed", "true").body("retryOf", equalTo(failed)).body("from", equalTo("failedNode"))
                .body("workflowVersion", equalTo(1)).extract();
        assertThat(again.<String>path("executionId")).isEqualTo(retry.path("executionId"));
        as(editor).header("Idempotency-Key", key).body("{\"from\":\"start\"}").post(EXECUTIONS + "/" + failed + "/retry").then()
                .statusCode(422).body("type", equalTo(PROBLEMS + "idempotency-key-reused"));
    }

    private static void until(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not hold within " + WITHIN);
            }
            Thread.sleep(100);
        }
    }
}
