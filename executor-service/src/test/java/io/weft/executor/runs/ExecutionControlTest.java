package io.weft.executor.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.EndlessResponse;
import io.weft.executor.engine.TestPlans;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancel, pause and resume through weft.execution.control, against real Kafka and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class ExecutionControlTest extends KafkaRunsTest {
    private static HttpServer server;
    private static String base;
    private static final AtomicInteger slowCalls = new AtomicInteger();
    private static final EndlessResponse endless = new EndlessResponse();

    @BeforeAll
    static void slowServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/endless", endless);
        server.createContext("/slow", exchange -> {
            slowCalls.incrementAndGet();
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void resetServer() {
        slowCalls.set(0);
        endless.reset();
    }

    private static ExecutionPlan callThenShape(String path) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("call", "core.httpRequest", "{\"url\":\"" + base + path + "\",\"timeoutMs\":60000}")
                .withPolicy("call", "timeout:60000")
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"done\",\"value\":true}]}")
                .connect("start", "main", "call", "main")
                .connect("call", "main", "shape", "main")
                .build();
    }

    private ExecutionRequested request(String executionId, ExecutionPlan plan) {
        return new ExecutionRequested(UUID.randomUUID().toString(), tenant, executionId, "wf-1", 3, plan.hash(),
                TriggerKind.MANUAL, "start", WeftJson.mapper().createObjectNode(), "user-1", null, null, Instant.now());
    }

    private ExecutionControl.Cancel cancel(String tenantId, String execution) {
        return new ExecutionControl.Cancel(UUID.randomUUID().toString(), tenantId, execution, "user-2", "wrong input", Instant.now());
    }

    @Test
    void aCancelStopsTheRunningHttpCallWithinASecond() throws Exception {
        String execution = startedAtTheCall("/endless");
        Thread.sleep(500);

        long sent = System.nanoTime();
        kafka.send(cancel(tenant, execution));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        ExecutionEvent.ExecutionCancelled cancelled = (ExecutionEvent.ExecutionCancelled) events.get(events.size() - 1);
        assertThat(cancelled.requestedBy()).isEqualTo("user-2");
        assertThat(cancelled.reason()).isEqualTo("wrong input");
        assertThat(took).as("from the command to ExecutionCancelled").isLessThan(Duration.ofSeconds(3));
        assertThat(endless.cutOffWithin(5)).as("the HTTP call was cut off").isTrue();
        assertThat(Transitions.started(events)).doesNotContain("shape");
        assertThat(status(execution)).isEqualTo("cancelled");
    }

    @Test
    void aCancelThatArrivesBeforeTheRequestStopsTheExecutionBeforeAnyNodeWhateverAnotherTenantSent() throws Exception {
        ExecutionPlan plan = callThenShape("/slow");
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(new ExecutionControl.Pause(UUID.randomUUID().toString(), UUID.randomUUID().toString(), execution, "mallory",
                Instant.now()));
        kafka.send(cancel(tenant, execution));
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (pool.preparedQuery("SELECT 1 FROM execution_commands WHERE execution_id = $1").execute(Tuple.of(execution))
                .await().atMost(Duration.ofSeconds(5)).rowCount() < 2) {
            assertThat(System.nanoTime()).as("the command is stored").isLessThan(deadline);
            Thread.sleep(50);
        }

        kafka.send(request(execution, plan));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("ExecutionCancelled");
        assertThat(((ExecutionEvent.ExecutionCancelled) events.get(0)).requestedBy())
                .as("another tenant's command for the same id neither replaced nor was read for ours").isEqualTo("user-2");
        assertThat(slowCalls.get()).isZero();
    }

    @Test
    void aPauseParksTheExecutionBeforeTheNextNodeAndAResumeFinishesItWithoutRunningFinishedNodesAgain() throws Exception {
        String execution = startedAtTheCall("/slow");

        kafka.send(pause(execution));
        ExecutionEvent.ExecutionWaiting waiting = kafka.until(execution, ExecutionEvent.ExecutionWaiting.class, WITHIN);
        assertThat(waiting.reason()).isEqualTo(ExecutionEvent.WaitReason.PAUSED);
        assertThat(waiting.nodeId()).isEqualTo("shape");
        assertThat(status(execution)).isEqualTo("paused");

        kafka.send(new ExecutionControl.Resume(UUID.randomUUID().toString(), tenant, execution, "user-2", Instant.now()));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(events).filteredOn(e -> e instanceof ExecutionEvent.ExecutionStarted started && started.resumed()).hasSize(1);
        assertThat(Transitions.started(events)).filteredOn("call"::equals).hasSize(1);
        assertThat(events).extracting(ExecutionEvent::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(slowCalls.get()).as("the finished HTTP node was not run again").isEqualTo(1);
        assertThat(status(execution)).isEqualTo("succeeded");
    }

    @Test
    void aPausedExecutionCanBeCancelled() throws Exception {
        String execution = startedAtTheCall("/slow");
        kafka.send(pause(execution));
        ExecutionEvent.ExecutionWaiting waiting = kafka.until(execution, ExecutionEvent.ExecutionWaiting.class, WITHIN);

        kafka.send(cancel(tenant, execution));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        ExecutionEvent.ExecutionCancelled cancelled = (ExecutionEvent.ExecutionCancelled) events.get(events.size() - 1);
        assertThat(cancelled.sequence()).isGreaterThan(waiting.sequence());
        assertThat(status(execution)).isEqualTo("cancelled");
    }

    @Test
    void theExecutionTimeoutStopsTheRunningNodeAndFailsTheExecution() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("call", "core.httpRequest", "{\"url\":\"" + base + "/endless\",\"timeoutMs\":60000}")
                .withPolicy("call", "timeout:60000")
                .withExecutionTimeout(1500)
                .connect("start", "main", "call", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(request(execution, plan));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        ExecutionEvent.ExecutionFailed failed = (ExecutionEvent.ExecutionFailed) events.get(events.size() - 1);
        assertThat(failed.error().kind().name()).isEqualTo("TIMEOUT");
        assertThat(failed.error().message()).contains("timeout of 1500 ms");
        assertThat(failed.failedNodeId()).isEqualTo("call");
        assertThat(failed.durationMs()).isBetween(1400L, 10_000L);
        assertThat(endless.cutOffWithin(5)).as("the HTTP call was cut off").isTrue();
        assertThat(status(execution)).isEqualTo("failed");
    }

    @Test
    void aCancelWhoseSignalWasMissedIsCaughtByTheHeartbeat() throws Exception {
        String execution = startedAtTheCall("/endless");

        // As the shared consumer stores a command, but without the per-executor signal.
        pool.preparedQuery("UPDATE executions SET command = 'cancel' WHERE id = $1").execute(Tuple.of(execution))
                .await().atMost(Duration.ofSeconds(5));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionCancelled.class);
        assertThat(endless.cutOffWithin(5)).as("the HTTP call was cut off").isTrue();
        assertThat(status(execution)).isEqualTo("cancelled");
    }

    @Test
    void anotherTenantsCommandsDoNotReachTheExecution() throws Exception {
        String execution = startedAtTheCall("/slow");

        kafka.send(cancel(UUID.randomUUID().toString(), execution));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(status(execution)).isEqualTo("succeeded");
    }

    /** Starts call-then-shape against {@code path} and waits until the HTTP node runs; answers the execution id. */
    private String startedAtTheCall(String path) throws Exception {
        ExecutionPlan plan = callThenShape(path);
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(request(execution, plan));
        waitForNode(execution, "call");
        return execution;
    }

    private ExecutionControl.Pause pause(String execution) {
        return new ExecutionControl.Pause(UUID.randomUUID().toString(), tenant, execution, "user-2", Instant.now());
    }

    private void waitForNode(String execution, String nodeId) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (Transitions.started(kafka.during(execution, Duration.ofMillis(100))).contains(nodeId)) {
                return;
            }
        }
        throw new AssertionError("node " + nodeId + " of " + execution + " never started");
    }
}
