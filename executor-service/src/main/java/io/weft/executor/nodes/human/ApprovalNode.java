package io.weft.executor.nodes.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.WaitRequested;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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
    private static final long DEFAULT_MINUTES = 45;

    private final Approvals approvals;

    @Inject
    public ApprovalNode(Approvals approvals) {
        super("core.approval", 1);
        this.approvals = approvals;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        String executionId = run.executionId();
        if (run.parkedUntil().isEmpty()) {
            Approvals.Approval opened = approvals.open(run.tenantId(), request(run, executionId));
            throw new WaitRequested(opened.expiresAt(), false);
        }
        Approvals.Approval settled = approvals.settle(run.tenantId(), executionId, run.node().id());
        String port = switch (settled.status()) {
            case "approved" -> "approved";
            case "rejected" -> "rejected";
            case "timed_out" -> "timeout";
            case "pending" -> throw new WaitRequested(settled.expiresAt(), false); // woken early by mistake: wait on
            default -> throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + run.node().name() + "\": the approval was "
                    + settled.status());
        };
        List<Item> out = run.items().stream().map(item -> {
            ObjectNode json = item.json().deepCopy();
            json.set("approval", outcome(settled.view()));
            return new Item(json, item.binary());
        }).toList();
        return NodeOutput.of(port, out);
    }

    private static ObjectNode request(NodeRun run, String executionId) {
        JsonNode parameters = run.parameters();
        ObjectNode request = WeftJson.mapper().createObjectNode().put("executionId", executionId).put("workflowId", run.workflowId())
                .put("nodeId", run.node().id()).put("nodeName", run.node().name())
                .put("message", parameters.path("message").asText("Approve to continue."))
                .put("requiredApprovals", parameters.path("requiredApprovals").asInt(1))
                .put("allowSelfApproval", parameters.path("allowSelfApproval").asBoolean(false))
                .put("expiresAt", expiresAt(run, parameters).toString());
        request.set("approvers", parameters.path("approvers").isObject() ? parameters.path("approvers") : JsonNodeFactory.instance.objectNode());
        request.set("form", parameters.path("form").isArray() ? parameters.path("form") : JsonNodeFactory.instance.arrayNode());
        return request;
    }

    private static Instant expiresAt(NodeRun run, JsonNode parameters) {
        String until = parameters.path("until").asText("");
        if (!until.isBlank()) {
            try {
                return OffsetDateTime.parse(until).toInstant();
            } catch (DateTimeParseException e) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                        + "\": until must be an ISO-8601 time with an offset, such as 2026-12-01T09:00:00+01:00");
            }
        }
        return run.clock().instant().plusSeconds(60 * parameters.path("timeoutMinutes").asLong(DEFAULT_MINUTES));
    }

    /** What the item carries of the approval: its outcome, who decided what, when and why, and the form's values. */
    private static ObjectNode outcome(JsonNode view) {
        ObjectNode outcome = WeftJson.mapper().createObjectNode().put("id", view.path("id").asText()).put("status", view.path("status").asText());
        if (view.hasNonNull("decidedAt")) {
            outcome.put("decidedAt", view.path("decidedAt").asText());
        }
        outcome.set("decisions", view.path("decisions"));
        ObjectNode values = outcome.putObject("formValues");
        view.path("decisions").forEach(decision -> decision.path("formValues").fields()
                .forEachRemaining(field -> values.set(field.getKey(), field.getValue())));
        return outcome;
    }
}
