package io.weft.workflow.executions;

import static io.weft.workflow.Transitions.failed;
import static io.weft.workflow.Transitions.progressed;
import static io.weft.workflow.Transitions.retrying;
import static io.weft.workflow.Transitions.running;
import static io.weft.workflow.Transitions.succeeded;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Manual runs onto real Kafka, and the executions read model built from events on real Kafka into real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class ExecutionsApiTest extends KafkaApiTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";
    private static final String EXECUTIONS = "/api/orchestrator/executions";

    private final String stranger = InternalTokens.user(UUID.randomUUID(), "editor-2", "editor");



    private RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private String workflow(boolean compiles, boolean activate) {
        String definition = "{\"name\":\"Orders\",\"nodes\":[{\"id\":\"start\",\"name\":\"Start\",\"type\":\""
                + (compiles ? "trigger.manual" : "core.set") + "\",\"typeVersion\":1},{\"id\":\"hook\",\"name\":\"Hook\","
                + "\"type\":\"trigger.webhook\",\"typeVersion\":1},{\"id\":\"shape\",\"name\":\"Shape\",\"type\":\"core.set\","
                + "\"typeVersion\":1}],\"connections\":[]}";
        String id = as(editor).body("{\"definition\":" + definition + "}").post(WORKFLOWS).then().statusCode(201).extract().path("id");
        if (activate) {
            as(editor).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        }
        return id;
    }

    private io.restassured.response.ValidatableResponse untilStatus(String execution, String status) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            var response = as(viewer).get(EXECUTIONS + "/" + execution);
            if (response.statusCode() == 200 && status.equals(response.path("status"))) {
                return response.then();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution " + execution + " never reached " + status + ": "
                + as(viewer).get(EXECUTIONS + "/" + execution).asString());
    }

    private List<ExecutionEvent> lifeOf(String execution, String workflowId) {
        Instant t = Instant.parse("2026-11-26T08:00:00Z");
        String tid = tenant.toString();
        return List.of(
                new ExecutionEvent.ExecutionStarted("e1", tid, execution, workflowId, 1, 2, "hash-1", TriggerKind.MANUAL, "executor-a",
                        false, t),
                progressed("e2", tid, execution, workflowId, 2,
                        succeeded("start", "Start", "trigger.manual", 1, t, 1, WeftJson.mapper().createObjectNode().put("amount", 5)),
                        running("call", "Call", "core.httpRequest", 1, t.plusMillis(2))),
                progressed("e3", tid, execution, workflowId, 3, retrying("call", "Call", "core.httpRequest", 1, t.plusMillis(2),
                        t.plusMillis(50), new ExecutionError(ErrorKind.HTTP_SERVER_ERROR, "answered 503", true, "call", null))),
                progressed("e4", tid, execution, workflowId, 4, running("call", "Call", "core.httpRequest", 2, t.plusMillis(50))),
                new ExecutionEvent.ExecutionSucceeded("e5", tid, execution, workflowId, 5, 90,
                        WeftJson.mapper().createObjectNode().put("statusCode", 200), List.of(succeeded("call", "Call",
                                "core.httpRequest", 2, t.plusMillis(50), 30, WeftJson.mapper().createObjectNode().put("statusCode", 200))),
                        t.plusMillis(90)));
    }

    @Test
    void aManualRunIsQueuedOnKafkaWithTheActiveVersionAndShowsUpAsQueued() throws Exception {
        String workflowId = workflow(true, true);
        String plan = as(editor).get(WORKFLOWS + "/" + workflowId).then().extract().path("active.planHash");

        var accepted = as(editor).body("{\"input\":{\"amount\":5}}").post(WORKFLOWS + "/" + workflowId + "/run")
                .then().statusCode(202)
                .body("workflowId", equalTo(workflowId)).body("workflowVersion", equalTo(1)).body("status", equalTo("queued"))
                .extract();
        String execution = accepted.path("executionId");
        assertThat(accepted.header("Location")).isEqualTo(EXECUTIONS + "/" + execution);

        ExecutionRequested request = kafka.requestFor(execution, WITHIN);
        assertThat(request.tenantId()).isEqualTo(tenant.toString());
        assertThat(request.workflowId()).isEqualTo(workflowId);
        assertThat(request.workflowVersion()).isEqualTo(1);
        assertThat(request.trigger()).isEqualTo(TriggerKind.MANUAL);
        assertThat(request.triggerNodeId()).isEqualTo("start");
        assertThat(request.triggerData().toString()).isEqualTo("{\"amount\":5}");
        assertThat(request.requestedBy()).isEqualTo("editor-1");
        if (plan != null) {
            assertThat(request.planHash()).isEqualTo(plan);
        }
        as(viewer).get(EXECUTIONS + "/" + execution).then().statusCode(200)
                .body("status", equalTo("queued")).body("workflowVersion", equalTo(1)).body("nodes", hasSize(0));
        as(stranger).get(EXECUTIONS + "/" + execution).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aNamedVersionIsTestRunAndEveryRefusalIsAClearProblem() throws Exception {
        String inactive = workflow(true, false);
        as(editor).post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("not active"));
        String execution = as(editor).body("{\"version\":1,\"input\":[{\"a\":1},{\"a\":2}],\"triggerNodeId\":\"hook\"}")
                .post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(202).extract().path("executionId");
        ExecutionRequested request = kafka.requestFor(execution, WITHIN);
        assertThat(request.triggerNodeId()).isEqualTo("hook");
        assertThat(request.triggerData()).hasSize(2);

        String broken = workflow(false, false);
        as(editor).body("{\"version\":1}").post(WORKFLOWS + "/" + broken + "/run").then().statusCode(422)
                .contentType("application/problem+json").body("diagnostics[0].code", equalTo("NO_TRIGGER"));
        as(editor).body("{\"version\":7}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(404);
        as(editor).body("{\"version\":0}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(400);
        as(editor).body("{\"version\":\"one\"}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(400);
        as(editor).body("{\"version\":1,\"input\":42}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("input"));
        as(editor).body("{\"version\":1,\"triggerNodeId\":\"shape\"}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(400)
                .body("detail", containsString("triggerNodeId"));
        as(editor).body("{\"version\":1,").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(400)
                .contentType("application/problem+json");
        as(editor).body("{\"version\":1,\"input\":{\"blob\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}}")
                .post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(413);
        as(editor).body("{\"version\":1,\"input\":{\"blob\":\"" + "x".repeat(1_500_000) + "\"}}")
                .post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("too large to queue"));
        as(editor).post(WORKFLOWS + "/" + UUID.randomUUID() + "/run").then().statusCode(404);
        as(editor).post(WORKFLOWS + "/not-a-uuid'%20OR%201=1/run").then().statusCode(404);
        as(stranger).body("{\"version\":1}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(404);
        as(viewer).body("{\"version\":1}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(403);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "key-1", "executions:run")).contentType(ContentType.JSON)
                .body("{\"version\":1}").post(WORKFLOWS + "/" + inactive + "/run").then().statusCode(202);
    }

    @Test
    void theReadModelFollowsAnExecutionThroughItsEventsEvenDuplicatedAndShuffled() throws Exception {
        String workflowId = UUID.randomUUID().toString();
        String inOrder = "exec-" + UUID.randomUUID();
        String shuffled = "exec-" + UUID.randomUUID();
        kafka.send(lifeOf(inOrder, workflowId).toArray(ExecutionEvent[]::new));
        List<ExecutionEvent> mixed = new ArrayList<>(lifeOf(shuffled, workflowId));
        mixed.addAll(lifeOf(shuffled, workflowId));
        Collections.shuffle(mixed, new Random(11));
        kafka.send(mixed.toArray(ExecutionEvent[]::new));

        for (String execution : List.of(inOrder, shuffled)) {
            untilStatus(execution, "succeeded")
                    .body("workflowId", equalTo(workflowId)).body("workflowVersion", equalTo(2)).body("planHash", equalTo("hash-1"))
                    .body("trigger", equalTo("MANUAL"))
                    .body("startedAt", equalTo("2026-11-26T08:00:00Z")).body("finishedAt", equalTo("2026-11-26T08:00:00.090Z"))
                    .body("durationMs", equalTo(90)).body("outputPreview.statusCode", equalTo(200)).body("error", nullValue())
                    .body("nodes.nodeId", contains("start", "call"))
                    .body("nodes[1].status", equalTo("succeeded")).body("nodes[1].attempts", equalTo(2))
                    .body("nodes[1].type", equalTo("core.httpRequest")).body("nodes[1].durationMs", equalTo(30))
                    .body("nodes[1].error", nullValue())
                    .body("nodes[0].outputPreview.amount", equalTo(5)).body("nodes[0].itemCount", equalTo(1));
        }
    }

    @Test
    void aNodeThatIsStillRunningShowsAsRunningAndALateDuplicateOfItsStartDoesNotUndoItsEnd() throws Exception {
        String workflowId = UUID.randomUUID().toString();
        String execution = "exec-" + UUID.randomUUID();
        List<ExecutionEvent> life = lifeOf(execution, workflowId);
        kafka.send(life.get(0), life.get(1));

        untilStatus(execution, "running");
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!Integer.valueOf(2).equals(as(viewer).get(EXECUTIONS + "/" + execution).path("nodes.size()"))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        as(viewer).get(EXECUTIONS + "/" + execution).then().body("nodes.nodeId", contains("start", "call"))
                .body("nodes[1].status", equalTo("running")).body("nodes[1].startedAt", equalTo("2026-11-26T08:00:00.002Z"))
                .body("nodes[1].finishedAt", nullValue());

        kafka.send(life.get(2), life.get(3), life.get(4));
        untilStatus(execution, "succeeded");
        // replayed batches, then a mark behind them on the same partition: a later event that only changes the duration
        kafka.send(life.get(1), life.get(3), new ExecutionEvent.ExecutionSucceeded("mark", tenant.toString(), execution, workflowId, 6,
                91, null, List.of(), Instant.parse("2026-11-26T08:00:00.090Z")));
        deadline = System.nanoTime() + WITHIN.toNanos();
        while (!Integer.valueOf(91).equals(as(viewer).get(EXECUTIONS + "/" + execution).path("durationMs")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        as(viewer).get(EXECUTIONS + "/" + execution).then().body("durationMs", equalTo(91))
                .body("nodes[1].status", equalTo("succeeded")).body("nodes[1].attempts", equalTo(2))
                .body("nodes[1].durationMs", equalTo(30));
    }

    @Test
    void waitingPausedFailedAndCancelledExecutionsSayWhy() throws Exception {
        String workflowId = UUID.randomUUID().toString();
        String tid = tenant.toString();
        Instant t = Instant.parse("2026-11-26T09:00:00Z");
        String waiting = "exec-" + UUID.randomUUID();
        String failed = "exec-" + UUID.randomUUID();
        String cancelled = "exec-" + UUID.randomUUID();
        kafka.send(
                new ExecutionEvent.ExecutionStarted("w1", tid, waiting, workflowId, 1, 1, "h", TriggerKind.MANUAL, "x", false, t),
                new ExecutionEvent.ExecutionWaiting("w2", tid, waiting, workflowId, 2, "wait", ExecutionEvent.WaitReason.WAIT_DURATION,
                        t.plusSeconds(60), null, List.of(), t),
                new ExecutionEvent.ExecutionStarted("f1", tid, failed, workflowId, 1, 1, "h", TriggerKind.MANUAL, "x", false, t),
                progressed("f2", tid, failed, workflowId, 2, failed("call", "Call", "core.httpRequest", 3, t, 12,
                        new ExecutionError(ErrorKind.HTTP_CLIENT_ERROR, "GET example.com answered 404", false, "call", null))),
                new ExecutionEvent.ExecutionFailed("f3", tid, failed, workflowId, 3, 20, "call",
                        new ExecutionError(ErrorKind.HTTP_CLIENT_ERROR, "GET example.com answered 404 \u0000", false, "call", null), List.of(), t),
                new ExecutionEvent.ExecutionCancelled("c1", tid, cancelled, workflowId, 1, "user-9", "not needed", List.of(), t));

        untilStatus(waiting, "waiting").body("waiting.nodeId", equalTo("wait")).body("waiting.reason", equalTo("WAIT_DURATION"))
                .body("waiting.resumeAt", equalTo("2026-11-26T09:01:00Z")).body("finishedAt", nullValue());
        untilStatus(failed, "failed").body("failedNodeId", equalTo("call")).body("error.kind", equalTo("HTTP_CLIENT_ERROR"))
                .body("error.message", equalTo("GET example.com answered 404 \uFFFD")) // jsonb cannot hold U+0000
                .body("nodes[0].status", equalTo("failed")).body("nodes[0].attempts", equalTo(3))
                .body("nodes[0].error.message", containsString("404"));
        untilStatus(cancelled, "cancelled").body("error.requestedBy", equalTo("user-9")).body("error.message", equalTo("not needed"));

        kafka.send(new ExecutionEvent.ExecutionWaiting("w3", tid, waiting, workflowId, 3, "wait", ExecutionEvent.WaitReason.PAUSED,
                null, null, List.of(), t.plusSeconds(1)));
        untilStatus(waiting, "paused").body("waiting.reason", equalTo("PAUSED"));
        kafka.send(new ExecutionEvent.ExecutionStarted("w4", tid, waiting, workflowId, 1_000_001, 1, "h", TriggerKind.MANUAL, "y",
                true, t.plusSeconds(2)));
        untilStatus(waiting, "running").body("waiting", nullValue()).body("startedAt", equalTo("2026-11-26T09:00:00Z"));
    }

    @Test
    void listsFilterAndPageAndRefuseHostileParameters() throws Exception {
        String workflowA = UUID.randomUUID().toString();
        String workflowB = UUID.randomUUID().toString();
        String tid = tenant.toString();
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        List<String> ofA = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String execution = "exec-a" + i + "-" + UUID.randomUUID();
            ofA.add(execution);
            kafka.send(new ExecutionEvent.ExecutionStarted("s" + i, tid, execution, workflowA, 1, 1, "h", TriggerKind.MANUAL, "x",
                    false, t.plusSeconds(i)));
            if (i % 2 == 0) {
                kafka.send(new ExecutionEvent.ExecutionSucceeded("d" + i, tid, execution, workflowA, 2, 5, null, List.of(), t.plusSeconds(i)));
            }
        }
        String ofB = "exec-b-" + UUID.randomUUID();
        kafka.send(new ExecutionEvent.ExecutionStarted("sb", tid, ofB, workflowB, 1, 1, "h", TriggerKind.MANUAL, "x", false,
                t.plusSeconds(10)));
        untilStatus(ofB, "running");
        untilStatus(ofA.get(4), "succeeded");

        as(viewer).queryParam("workflowId", workflowA).get(EXECUTIONS).then().statusCode(200).body("items", hasSize(5))
                .body("items[0].id", equalTo(ofA.get(4))).body("nextCursor", nullValue());
        as(viewer).queryParam("workflowId", workflowA).queryParam("status", "running").get(EXECUTIONS).then()
                .body("items.id", contains(ofA.get(3), ofA.get(1)));
        as(viewer).queryParam("status", "succeeded,running").queryParam("from", "2026-11-20T10:00:02Z")
                .queryParam("to", "2026-11-20T10:00:10Z").get(EXECUTIONS).then()
                .body("items.id", contains(ofA.get(4), ofA.get(3), ofA.get(2)));
        String cursor = as(viewer).queryParam("workflowId", workflowA).queryParam("limit", 2).get(EXECUTIONS).then()
                .body("items.id", contains(ofA.get(4), ofA.get(3))).body("nextCursor", notNullValue()).extract().path("nextCursor");
        as(viewer).queryParam("workflowId", workflowA).queryParam("limit", 2).queryParam("cursor", cursor).get(EXECUTIONS).then()
                .body("items.id", contains(ofA.get(2), ofA.get(1)));
        as(stranger).queryParam("workflowId", workflowA).get(EXECUTIONS).then().statusCode(200).body("items", hasSize(0));

        for (String[] hostile : new String[][] {{"status", "exploded"}, {"status", "running' OR '1'='1"}, {"limit", "-1"},
                {"limit", "1000000"}, {"cursor", "not-a-cursor"}, {"from", "yesterday"}, {"to", "2026-13-45T99:00:00Z"},
                {"workflowId", "x".repeat(500)}, {"workflowId", "a\u0000b"}}) {
            as(viewer).queryParam(hostile[0], hostile[1]).get(EXECUTIONS).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        as(viewer).queryParam("from", "2026-11-21T00:00:00Z").queryParam("to", "2026-11-20T00:00:00Z").get(EXECUTIONS)
                .then().statusCode(400);
        as(viewer).get(EXECUTIONS + "/" + "x".repeat(300)).then().statusCode(404).contentType("application/problem+json");
        as(viewer).get(EXECUTIONS + "/a%00b").then().statusCode(404);
        given().get(EXECUTIONS).then().statusCode(401);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "key-2", "workflows:read")).get(EXECUTIONS).then().statusCode(403);
    }

    @Test
    void onlyFinishedExecutionsAreDeletedAndALateDuplicateDoesNotBringOneBack() throws Exception {
        String workflowId = UUID.randomUUID().toString();
        String execution = "exec-" + UUID.randomUUID();
        List<ExecutionEvent> life = lifeOf(execution, workflowId);
        kafka.send(life.subList(0, 4).toArray(ExecutionEvent[]::new));
        untilStatus(execution, "running");

        as(editor).delete(EXECUTIONS + "/" + execution).then().statusCode(409).contentType("application/problem+json");
        as(stranger).delete(EXECUTIONS + "/" + execution).then().statusCode(404);
        as(viewer).delete(EXECUTIONS + "/" + execution).then().statusCode(403);

        kafka.send(life.subList(4, life.size()).toArray(ExecutionEvent[]::new));
        untilStatus(execution, "succeeded");
        as(editor).delete(EXECUTIONS + "/" + execution).then().statusCode(204);
        as(viewer).get(EXECUTIONS + "/" + execution).then().statusCode(404);
        as(editor).delete(EXECUTIONS + "/" + execution).then().statusCode(404);

        kafka.send(life.toArray(ExecutionEvent[]::new));
        String marker = "exec-" + UUID.randomUUID();
        kafka.send(lifeOf(marker, workflowId).get(0));
        untilStatus(marker, "running"); // the duplicates before it have been applied by now
        as(viewer).get(EXECUTIONS + "/" + execution).then().statusCode(404);
    }

    @Test
    void stopPauseAndResumeGoToTheExecutorsWhenTheyApplyAndAre409WhenTheyDoNot() throws Exception {
        String workflowId = UUID.randomUUID().toString();
        String tid = tenant.toString();
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        String running = "exec-" + UUID.randomUUID();
        String done = "exec-" + UUID.randomUUID();
        kafka.send(new ExecutionEvent.ExecutionStarted("r1", tid, running, workflowId, 1, 1, "h", TriggerKind.MANUAL, "x", false, t),
                new ExecutionEvent.ExecutionStarted("d1", tid, done, workflowId, 1, 1, "h", TriggerKind.MANUAL, "x", false, t),
                new ExecutionEvent.ExecutionSucceeded("d2", tid, done, workflowId, 2, 5, null, List.of(), t));
        untilStatus(running, "running");
        untilStatus(done, "succeeded");

        as(editor).post(EXECUTIONS + "/" + running + "/pause").then().statusCode(202)
                .body("command", equalTo("pause")).body("status", equalTo("running"));
        ExecutionControl.Pause pause = kafka.first(ExecutionControl.Pause.class, running, WITHIN);
        assertThat(pause.tenantId()).isEqualTo(tid);
        assertThat(pause.requestedBy()).isEqualTo("editor-1");
        as(editor).body("{\"reason\":\"wrong input\"}").post(EXECUTIONS + "/" + running + "/stop").then().statusCode(202);
        assertThat(kafka.first(ExecutionControl.Cancel.class, running, WITHIN).reason()).isEqualTo("wrong input");

        kafka.send(new ExecutionEvent.ExecutionWaiting("r2", tid, running, workflowId, 2, "next", ExecutionEvent.WaitReason.PAUSED,
                null, null, List.of(), t));
        untilStatus(running, "paused");
        as(editor).post(EXECUTIONS + "/" + running + "/pause").then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("cannot pause an execution that is paused"));
        as(editor).post(EXECUTIONS + "/" + running + "/resume").then().statusCode(202);
        kafka.first(ExecutionControl.Resume.class, running, WITHIN);

        for (String command : List.of("stop", "pause", "resume")) {
            as(editor).post(EXECUTIONS + "/" + done + "/" + command).then().statusCode(409).contentType("application/problem+json");
            as(stranger).post(EXECUTIONS + "/" + running + "/" + command).then().statusCode(404);
            as(viewer).post(EXECUTIONS + "/" + running + "/" + command).then().statusCode(403);
            as(editor).post(EXECUTIONS + "/exec-" + UUID.randomUUID() + "/" + command).then().statusCode(404);
        }
        as(editor).body("{\"reason\":\"" + "x".repeat(501) + "\"}").post(EXECUTIONS + "/" + running + "/stop").then().statusCode(400);
        as(editor).body("{\"reason\":").post(EXECUTIONS + "/" + running + "/stop").then().statusCode(400);
        as(editor).body("{\"reason\":[1,2]}").post(EXECUTIONS + "/" + running + "/stop").then().statusCode(400);
    }

    @Test
    void failedAndCancelledExecutionsAreRetriedFromTheFailedNodeOrTheStartOnThePinnedOrTheActiveVersion() throws Exception {
        String workflowId = workflow(true, true);
        String activeHash = as(editor).get(WORKFLOWS + "/" + workflowId).then().extract().path("active.planHash");
        String tid = tenant.toString();
        Instant t = Instant.parse("2026-11-26T11:00:00Z");
        String failed = "exec-" + UUID.randomUUID();
        String cancelled = "exec-" + UUID.randomUUID();
        String succeeded = "exec-" + UUID.randomUUID();
        kafka.send(new ExecutionEvent.ExecutionStarted("f1", tid, failed, workflowId, 1, 1, "old-hash", TriggerKind.WEBHOOK, "x", false, t),
                new ExecutionEvent.ExecutionFailed("f2", tid, failed, workflowId, 2, 5, "call",
                        new ExecutionError(ErrorKind.HTTP_SERVER_ERROR, "answered 500", true, "call", null), List.of(), t),
                new ExecutionEvent.ExecutionStarted("c1", tid, cancelled, workflowId, 1, 1, "old-hash", TriggerKind.MANUAL, "x", false, t),
                new ExecutionEvent.ExecutionCancelled("c2", tid, cancelled, workflowId, 2, "user-1", null, List.of(), t),
                new ExecutionEvent.ExecutionStarted("s1", tid, succeeded, workflowId, 1, 1, "old-hash", TriggerKind.MANUAL, "x", false, t),
                new ExecutionEvent.ExecutionSucceeded("s2", tid, succeeded, workflowId, 2, 5, null, List.of(), t));
        untilStatus(failed, "failed");
        untilStatus(cancelled, "cancelled");
        untilStatus(succeeded, "succeeded");

        String retry = as(editor).post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(202)
                .body("retryOf", equalTo(failed)).body("from", equalTo("failedNode")).body("workflowVersion", equalTo(1))
                .extract().path("executionId");
        ExecutionRequested request = kafka.requestFor(retry, WITHIN);
        assertThat(request.retryOf()).isEqualTo(failed);
        assertThat(request.startAtNodeId()).isEqualTo("call");
        assertThat(request.planHash()).isEqualTo("old-hash");
        assertThat(request.trigger()).isEqualTo(TriggerKind.WEBHOOK);
        assertThat(request.triggerData()).isNull();
        as(viewer).get(EXECUTIONS + "/" + retry).then().statusCode(200).body("retryOf", equalTo(failed)).body("status", equalTo("queued"));

        String again = as(editor).body("{\"from\":\"start\",\"version\":\"latest\"}").post(EXECUTIONS + "/" + failed + "/retry")
                .then().statusCode(202).body("from", equalTo("start")).extract().path("executionId");
        ExecutionRequested latest = kafka.requestFor(again, WITHIN);
        assertThat(latest.startAtNodeId()).isNull();
        if (activeHash != null) {
            assertThat(latest.planHash()).isEqualTo(activeHash);
        }

        as(editor).post(EXECUTIONS + "/" + cancelled + "/retry").then().statusCode(202).body("from", equalTo("start"));
        as(editor).body("{\"from\":\"failedNode\"}").post(EXECUTIONS + "/" + cancelled + "/retry").then().statusCode(409);
        as(editor).post(EXECUTIONS + "/" + succeeded + "/retry").then().statusCode(409).contentType("application/problem+json");
        as(stranger).post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(404);
        as(viewer).post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(403);
        as(editor).body("{\"from\":\"middle\"}").post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(400);
        as(editor).body("{\"version\":\"newest\"}").post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(400);
        as(editor).body("{\"from\":").post(EXECUTIONS + "/" + failed + "/retry").then().statusCode(400);
    }
}
