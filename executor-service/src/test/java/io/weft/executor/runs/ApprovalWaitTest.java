package io.weft.executor.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A run parked at an Approval node holds no executor and goes on at once when the decision comes (real Kafka and PostgreSQL). */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class ApprovalWaitTest extends KafkaRunsTest {

    @Test
    void aDecisionWakesTheWaitingRunWhichGoesOutOfTheDecidedPort() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("gate", "core.approval", "{\"message\":\"Ship order {{ $json.order }}?\",\"timeoutMinutes\":60}")
                .node("shipped", "core.set", "{\"fields\":[{\"name\":\"shipped\",\"value\":true}]}")
                .connect("start", "main", "gate", "main")
                .connect("gate", "approved", "shipped", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-1", 3, plan.hash(), TriggerKind.MANUAL,
                "start", WeftJson.mapper().createObjectNode().put("order", 7), "user-1", null, null, Instant.now()));

        ExecutionEvent.ExecutionWaiting waiting = kafka.until(execution, ExecutionEvent.ExecutionWaiting.class, WITHIN);
        assertThat(waiting.nodeId()).isEqualTo("gate");
        assertThat(waiting.resumeAt()).isAfter(Instant.now().plusSeconds(3500));
        assertThat(status(execution)).isEqualTo("waiting");
        String key = tenant + ":" + execution + ":gate";
        assertThat(FakeCompilerPlans.APPROVALS.get(key).getString("message")).isEqualTo("Ship order 7?");

        FakeCompilerPlans.APPROVAL_OUTCOMES.put(key, "approved");
        kafka.send(new ExecutionControl.ApprovalDecided(UUID.randomUUID().toString(), tenant, execution, "ana",
                FakeCompilerPlans.APPROVALS.get(key).getString("id"), "gate", ExecutionControl.Decision.APPROVED, "fine", Instant.now()));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.get(events.size() - 1);
        assertThat(done.outputPreview().path("shipped").asBoolean()).isTrue();
        assertThat(done.outputPreview().at("/approval/status").asText()).isEqualTo("approved");
        assertThat(status(execution)).isEqualTo("succeeded");
    }
}
