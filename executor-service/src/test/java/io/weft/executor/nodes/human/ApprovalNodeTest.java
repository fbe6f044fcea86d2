package io.weft.executor.nodes.human;

import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.CheckpointingListener;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunControl;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunStopped;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The Approval node through the plan runner, workflow-service's side played by a stand-in that records what it was asked. */
class ApprovalNodeTest {
    private static final Instant T0 = Instant.parse("2026-12-08T09:00:00Z");

    private final List<ObjectNode> opened = new CopyOnWriteArrayList<>();
    private final List<String> settled = new CopyOnWriteArrayList<>();
    private volatile String outcome = "pending";

    private final Approvals approvals = new Approvals() {
        @Override
        public Approval open(String tenantId, ObjectNode request) {
            opened.add(request);
            return new Approval("a-1", "pending", Instant.parse(request.path("expiresAt").asText()), request);
        }

        @Override
        public Approval settle(String tenantId, String executionId, String nodeId) {
            settled.add(tenantId + " " + executionId + " " + nodeId);
            JsonNode view = json("{\"id\":\"a-1\",\"status\":\"" + outcome + "\",\"decidedAt\":\"2026-12-08T09:10:00Z\","
                    + "\"decisions\":[{\"decidedBy\":\"ana\",\"decision\":\"approve\",\"comment\":\"ok\",\"formValues\":{\"reason\":\"lost\"}}]}");
            return new Approval("a-1", outcome, T0.plusSeconds(2700), view);
        }
    };

    private static JsonNode json(String text) {
        try {
            return WeftJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private final PlanRunner runner = runner();

    private PlanRunner runner() {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(type -> !(type instanceof ApprovalNode)).toList());
        types.add(new ApprovalNode(approvals));
        return new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator());
    }

    private static ExecutionPlan gated() {
        return plan().node("start", "trigger.manual", "{}")
                .node("gate", "core.approval", "{\"message\":\"Refund {{ $json.amount }} EUR?\",\"approvers\":{\"users\":[\"ana\"]},"
                        + "\"requiredApprovals\":1,\"form\":[{\"name\":\"reason\",\"required\":true}]}")
                .node("paid", "core.noOp", "{}").node("refused", "core.noOp", "{}").node("late", "core.noOp", "{}")
                .connect("start", "main", "gate", "main")
                .connect("gate", "approved", "paid", "main").connect("gate", "rejected", "refused", "main").connect("gate", "timeout", "late", "main")
                .build();
    }

    private static RunInput input() {
        return new RunInput("t1", "e1", "w1", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("amount", 120))),
                WeftJson.mapper().createObjectNode(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    private final CheckpointingListener journal = new CheckpointingListener();
    private final Map<String, NodeOutcome> finished = journal.finished;

    private RunStopped parked() {
        return catchThrowableOfType(RunStopped.class, () -> runner.run(gated(), input(), finished, journal, new RunControl()));
    }

    @Test
    void theRunParksUntilTheTimeLimitWithTheApprovalOpened() {
        RunStopped parked = parked();

        assertThat(parked.stop()).isEqualTo(RunControl.Stop.WAIT);
        assertThat(parked.nextNodeId()).isEqualTo("gate");
        assertThat(parked.resumeAt()).isEqualTo(T0.plusSeconds(45 * 60));
        ObjectNode asked = opened.get(0);
        assertThat(asked.path("message").asText()).isEqualTo("Refund 120 EUR?");
        assertThat(asked.path("executionId").asText()).isEqualTo("e1");
        assertThat(asked.path("workflowId").asText()).isEqualTo("w1");
        assertThat(asked.path("nodeId").asText()).isEqualTo("gate");
        assertThat(asked.at("/approvers/users/0").asText()).isEqualTo("ana");
        assertThat(asked.at("/form/0/name").asText()).isEqualTo("reason");
        assertThat(settled).as("nothing to settle before it waited").isEmpty();
    }

    @Test
    void wokenItGoesOutOfThePortOfTheOutcomeWithTheApproval() {
        parked();
        outcome = "approved";
        ExecutionOutcome approved = runner.run(gated(), input(), finished, journal, new RunControl());

        assertThat(approved.succeeded()).isTrue();
        assertThat(settled).containsExactly("t1 e1 gate");
        JsonNode item = approved.node("paid").output().all().get(0).json();
        assertThat(item.path("amount").asInt()).isEqualTo(120);
        assertThat(item.at("/approval/status").asText()).isEqualTo("approved");
        assertThat(item.at("/approval/decisions/0/decidedBy").asText()).isEqualTo("ana");
        assertThat(item.at("/approval/formValues/reason").asText()).isEqualTo("lost");
        assertThat(approved.node("refused").status()).isEqualTo(NodeOutcome.Status.SKIPPED);
    }

    @Test
    void aTimeoutAndARejectionHaveTheirOwnPortsAndAnEarlyWakeWaitsOn() {
        parked();
        RunStopped again = parked();
        assertThat(again.resumeAt()).as("still pending: back to waiting").isEqualTo(T0.plusSeconds(2700));

        outcome = "timed_out";
        assertThat(runner.run(gated(), input(), finished, journal, new RunControl()).node("late").output().all()).hasSize(1);

        finished.clear();
        parked();
        outcome = "rejected";
        assertThat(runner.run(gated(), input(), finished, journal, new RunControl()).node("refused").output().all()).hasSize(1);
    }
}
