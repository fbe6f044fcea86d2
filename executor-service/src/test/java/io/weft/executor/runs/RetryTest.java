package io.weft.executor.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries through real Kafka and PostgreSQL: from the failed node (finished nodes taken over) and from the start. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class RetryTest extends KafkaRunsTest {
    private HttpServer server;
    private final AtomicBoolean healthy = new AtomicBoolean(false);
    private final AtomicInteger calls = new AtomicInteger();
    private ExecutionPlan plan;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/flaky", exchange -> {
            calls.incrementAndGet();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(healthy.get() ? 200 : 500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("price", "core.set", "{\"fields\":[{\"name\":\"total\",\"value\":\"{{ $json.amount }}\"}]}")
                .node("call", "core.httpRequest", "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/flaky\"}")
                .node("done", "core.set", "{\"fields\":[{\"name\":\"done\",\"value\":true}]}")
                .connect("start", "main", "price", "main")
                .connect("price", "main", "call", "main")
                .connect("call", "main", "done", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ExecutionRequested retry(String execution, String of, String startAt) {
        return new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-1", 3, plan.hash(), TriggerKind.MANUAL,
                null, null, "user-2", of, startAt, Instant.now());
    }

    private String failedRun() throws Exception {
        String failed = "exec-" + UUID.randomUUID();
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, failed, "wf-1", 3, plan.hash(), TriggerKind.MANUAL,
                "start", WeftJson.mapper().readTree("{\"amount\":42}"), "user-1", null, null, Instant.now()));
        List<ExecutionEvent> events = kafka.untilTerminal(failed, WITHIN);
        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionFailed.class);
        return failed;
    }

    private static List<String> started(List<ExecutionEvent> events) {
        return Transitions.started(events);
    }

    @Test
    void aRetryFromTheFailedNodeRunsOnlyItAndWhatFollowsWithTheEarlierData() throws Exception {
        String failed = failedRun();
        healthy.set(true);
        String retried = "exec-" + UUID.randomUUID();

        kafka.send(retry(retried, failed, "call"));
        List<ExecutionEvent> events = kafka.untilTerminal(retried, WITHIN);

        assertThat(started(events)).containsExactly("call", "done");
        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.get(events.size() - 1);
        assertThat(done.outputPreview().path("done").asBoolean()).isTrue();
        assertThat(done.outputPreview().at("/body/ok").asBoolean()).isTrue();
    }

    @Test
    void aRetryFromTheStartRunsEverythingAgainWithTheEarlierTriggerData() throws Exception {
        String failed = failedRun();
        healthy.set(true);
        String retried = "exec-" + UUID.randomUUID();

        kafka.send(retry(retried, failed, null));
        List<ExecutionEvent> events = kafka.untilTerminal(retried, WITHIN);

        assertThat(started(events)).containsExactly("start", "price", "call", "done");
        assertThat(Transitions.first(events, "price", NodeTransition.Status.SUCCEEDED).outputPreview().path("total").asInt())
                .isEqualTo(42);
        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
    }

    @Test
    void aRetryWhoseExecutorDiedResumesWithTheTriggerItTookOver() throws Exception {
        String failed = failedRun();
        healthy.set(true);
        // The retry's first run took over the earlier trigger (on its own row), took "start" and "price" over as checkpoints,
        // then its executor died; the request is delivered again as it was sent: without trigger data.
        String retried = "exec-" + UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_node_id,
                                        trigger_data, status, sequence, lease_owner, lease_until, runs)
                VALUES ($1, $2, 'wf-1', 3, $3, 'MANUAL', 'start', '{"amount":42}', 'running', 1004, 'executor-dead',
                        now() - interval '1 minute', 1)""").execute(io.vertx.mutiny.sqlclient.Tuple.of(retried, tenant, plan.hash()))
                .await().atMost(java.time.Duration.ofSeconds(5));

        kafka.send(retry(retried, failed, null));
        List<ExecutionEvent> events = kafka.untilTerminal(retried, WITHIN);

        assertThat(started(events)).containsExactly("start", "price", "call", "done");
        assertThat(Transitions.first(events, "price", NodeTransition.Status.SUCCEEDED).outputPreview().path("total").asInt())
                .isEqualTo(42);
    }

    @Test
    void aRetryOfAnUnknownOrForeignExecutionOrFromAnUnknownNodeFailsVisibly() throws Exception {
        String unknown = "exec-" + UUID.randomUUID();
        kafka.send(retry(unknown, "exec-" + UUID.randomUUID(), null));
        ExecutionEvent.ExecutionFailed refused = (ExecutionEvent.ExecutionFailed) last(kafka.untilTerminal(unknown, WITHIN));
        assertThat(refused.error().message()).contains("not known");

        String failed = failedRun();
        String badNode = "exec-" + UUID.randomUUID();
        kafka.send(retry(badNode, failed, "nowhere"));
        ExecutionEvent.ExecutionFailed noNode = (ExecutionEvent.ExecutionFailed) last(kafka.untilTerminal(badNode, WITHIN));
        assertThat(noNode.error().message()).contains("nowhere");
    }

    private static ExecutionEvent last(List<ExecutionEvent> events) {
        return events.get(events.size() - 1);
    }
}
