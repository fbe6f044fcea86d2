package io.weft.workflow.executions;

import java.util.List;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.TriggerKind;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.streaming.SseClient;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A workflow's concurrency limit: runs beyond it are refused or wait their turn (real Kafka and PostgreSQL). */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class ConcurrencyLimitsTest extends KafkaApiTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";
    private static final String EXECUTIONS = "/api/orchestrator/executions";

    @TestHTTPResource("/api/streaming/executions")
    URL streams;




    private String limitedWorkflow(String whenLimitReached) {
        String definition = "{\"name\":\"Limited\",\"settings\":{\"concurrencyLimit\":1,\"whenLimitReached\":\"" + whenLimitReached
                + "\"},\"nodes\":[{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\",\"typeVersion\":1}],\"connections\":[]}";
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(editor).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        return id;
    }

    private String run(String workflowId, String expectedStatus) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body("{}").post(WORKFLOWS + "/" + workflowId + "/run")
                .then().statusCode(202).body("status", equalTo(expectedStatus)).extract().path("executionId");
    }

    /** What the executor would publish for a run that starts and ends. */
    private void finish(String workflowId, String execution) throws Exception {
        String tid = tenant.toString();
        kafka.send(new ExecutionEvent.ExecutionStarted("s-" + execution, tid, execution, workflowId, 1, 1, "h", TriggerKind.MANUAL, "x",
                        false, Instant.now()),
                new ExecutionEvent.ExecutionSucceeded("d-" + execution, tid, execution, workflowId, 2, 3, null, List.of(), Instant.now()));
        awaitStatus(execution, "succeeded");
    }

    /** Waits until the read model shows the execution in that status (the test's assertion follows). */
    private void awaitStatus(String execution, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline && !expected.equals(status(execution))) {
            Thread.sleep(50);
        }
    }

    private String status(String execution) {
        return given().auth().oauth2(editor).get(EXECUTIONS + "/" + execution).path("status");
    }

    @Test
    void aRunBeyondTheLimitIsRefusedWhileTheWorkflowIsBusy() throws Exception {
        String workflowId = limitedWorkflow("reject");
        String first = run(workflowId, "queued");
        kafka.requestFor(first, WITHIN);

        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{}").post(WORKFLOWS + "/" + workflowId + "/run")
                .then().statusCode(429).contentType("application/problem+json").body("detail", containsString("limit"));

        finish(workflowId, first);
        run(workflowId, "queued");
    }

    @Test
    void aRunBeyondTheLimitWaitsItsTurnAndGoesWhenTheRunningOneEnds() throws Exception {
        String workflowId = limitedWorkflow("queue");
        String first = run(workflowId, "queued");
        String second = run(workflowId, "pending");
        kafka.requestFor(first, WITHIN);
        assertThat(status(second)).isEqualTo("pending");
        assertThat(kafka.requestsOf(workflowId, Duration.ofMillis(2500))).as("nothing sent while the first runs").isEmpty();

        finish(workflowId, first);
        assertThat(kafka.requestFor(second, WITHIN).executionId()).isEqualTo(second);
        awaitStatus(second, "queued"); // the release commits right after the request is on Kafka
        assertThat(status(second)).isEqualTo("queued");
        given().auth().oauth2(editor).queryParam("status", "pending").get(EXECUTIONS).then().statusCode(200);
    }

    @Test
    void aHeldRunThatIsStoppedLeavesTheQueueAtOnceAndIsNeverSent() throws Exception {
        String workflowId = limitedWorkflow("queue");
        String first = run(workflowId, "queued");
        String held = run(workflowId, "pending");
        kafka.requestFor(first, WITHIN);

        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"reason\":\"not needed any more\"}")
                .post(EXECUTIONS + "/" + held + "/stop")
                .then().statusCode(200).body("status", equalTo("cancelled")).body("command", equalTo("stop"));
        given().auth().oauth2(editor).get(EXECUTIONS + "/" + held).then().statusCode(200)
                .body("status", equalTo("cancelled")).body("error.kind", equalTo("CANCELLED"))
                .body("error.message", equalTo("not needed any more")).body("error.requestedBy", equalTo("editor-1"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{}").post(EXECUTIONS + "/" + held + "/stop")
                .then().statusCode(409);

        // Its cancellation is an event like any other: a stream of it replays it and ends.
        try (SseClient stream = new SseClient(URI.create(streams + "/" + held + "/events"), viewer, null)) {
            assertThat(stream.take(1, WITHIN)).extracting(SseClient.Event::name).containsExactly("dev.weft.execution.cancelled.v2");
            assertThat(stream.next(WITHIN)).as("the stream ends after it").isNull();
        }

        finish(workflowId, first);
        assertThat(kafka.requestsOf(workflowId, Duration.ofMillis(2500))).as("the withdrawn run is never sent").isEmpty();
        assertThat(status(held)).isEqualTo("cancelled");
        run(workflowId, "queued");
    }
}
