package io.weft.executor.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Wait nodes park executions; the sweeper brings back parked ones and ones whose executor stopped. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class WaitingExecutionTest extends KafkaRunsTest {

    private static ExecutionPlan waitThenShape(long millis) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("wait", "core.wait", "{\"durationMs\":" + millis + "}")
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"after\",\"value\":true}]}")
                .connect("start", "main", "wait", "main")
                .connect("wait", "main", "shape", "main")
                .build();
    }

    private ExecutionRequested request(String executionId, ExecutionPlan plan) {
        return new ExecutionRequested(UUID.randomUUID().toString(), tenant, executionId, "wf-1", 3, plan.hash(),
                TriggerKind.MANUAL, "start", WeftJson.mapper().createObjectNode().put("order", 7), "user-1", null, null, Instant.now());
    }

    @Test
    void aWaitParksTheExecutionWithoutAnExecutorAndItGoesOnWhenTheTimeComes() throws Exception {
        ExecutionPlan plan = waitThenShape(3000);
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        Instant sent = Instant.now();
        kafka.send(request(execution, plan));
        ExecutionEvent.ExecutionWaiting waiting = kafka.until(execution, ExecutionEvent.ExecutionWaiting.class, WITHIN);
        assertThat(waiting.reason()).isEqualTo(ExecutionEvent.WaitReason.WAIT_DURATION);
        assertThat(waiting.nodeId()).isEqualTo("wait");
        assertThat(waiting.resumeAt()).isBetween(sent.plusMillis(2900), sent.plusMillis(8000));
        assertThat(status(execution)).isEqualTo("waiting");

        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);
        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.get(events.size() - 1);
        assertThat(done.occurredAt()).isAfterOrEqualTo(waiting.resumeAt());
        assertThat(done.outputPreview().toString()).isEqualTo("{\"order\":7,\"after\":true}");
        assertThat(Transitions.started(events)).filteredOn("start"::equals).hasSize(1);
        assertThat(Transitions.all(events)).filteredOn(t -> t.nodeId().equals("wait") && t.status() == NodeTransition.Status.SUCCEEDED)
                .hasSize(1);
        assertThat(events).extracting(ExecutionEvent::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(Transitions.startedAttempts(events))
                .as("going on after a wait is no new attempt").containsExactly("start#1", "wait#1", "wait#1", "shape#1");
        assertThat(status(execution)).isEqualTo("succeeded");
    }

    @Test
    void aWaitingExecutionCanBeCancelled() throws Exception {
        ExecutionPlan plan = waitThenShape(3_600_000);
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(request(execution, plan));
        kafka.until(execution, ExecutionEvent.ExecutionWaiting.class, WITHIN);

        kafka.send(new ExecutionControl.Cancel(UUID.randomUUID().toString(), tenant, execution, "user-2", "not needed", Instant.now()));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionCancelled.class);
        assertThat(status(execution)).isEqualTo("cancelled");
    }

    @Test
    void anExecutionWhoseLeaseRanOutIsTakenOverWithoutAnyNewRequest() throws Exception {
        ExecutionPlan plan = waitThenShape(0);
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_node_id,
                                        trigger_data, status, sequence, lease_owner, lease_until, runs)
                VALUES ($1, $2, 'wf-1', 3, $3, 'MANUAL', 'start', '{"order":7}', 'running', 1000000, 'executor-gone',
                        now() - interval '1 second', 1)""").execute(Tuple.of(execution, tenant, plan.hash()))
                .await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, duration_ns)"
                        + " VALUES ($1, 'start', 'SUCCEEDED', 1, '{\"ports\":{\"main\":[{\"json\":{\"order\":7}}]}}', 1000)")
                .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5));

        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        ExecutionEvent.ExecutionStarted started = (ExecutionEvent.ExecutionStarted) events.get(0);
        assertThat(started.resumed()).isTrue();
        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(Transitions.started(events)).containsExactly("wait", "shape");
        Integer takeovers = pool.preparedQuery("SELECT takeovers FROM executions WHERE id = $1").execute(Tuple.of(execution))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger("takeovers");
        assertThat(takeovers).isEqualTo(1);
    }
}
