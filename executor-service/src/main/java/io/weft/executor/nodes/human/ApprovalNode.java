package io.weft.executor.nodes.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Waits for people to decide. Its first attempt opens the approval at workflow-service and parks the
 * run until the time limit, holding no executor; a decision wakes it early (workflow-service tells
 * the executors, {@code ApprovalDecided}), the time limit wakes it at the end. Woken, it asks for
 * the outcome — the approval's own record decides between a decision and the timeout, so exactly
 * one of them wins — and sends its items out of {@code approved}, {@code rejected} or
 * {@code timeout}, each with the approval.
 */
@Singleton
public class ApprovalNode extends DescribedNodeType {
    private final ApprovalGate gate;

    @Inject
    public ApprovalNode(Approvals approvals) {
        super("core.approval", 1);
        this.gate = new ApprovalGate(approvals);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        if (!ApprovalGate.woken(run)) {
            JsonNode parameters = run.parameters();
            throw ApprovalGate.park(gate.open(run, parameters.path("message").asText("Approve to continue."), parameters.path("approvers"),
                    parameters.path("requiredApprovals").asInt(1), parameters.path("allowSelfApproval").asBoolean(false),
                    parameters.path("form"), ApprovalGate.expiresAt(run, parameters), false));
        }
        var settled = gate.settled(run);
        String port = switch (settled.status()) {
            case "approved" -> "approved";
            case "rejected" -> "rejected";
            default -> "timeout";
        };
        List<Item> out = run.items().stream().map(item -> {
            ObjectNode json = item.json().deepCopy();
            json.set("approval", ApprovalGate.outcome(settled.view()));
            return new Item(json, item.binary());
        }).toList();
        return NodeOutput.of(port, out);
    }
}
