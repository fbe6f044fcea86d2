package io.weft.executor.nodes.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.WaitRequested;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * What a node that waits for people does, for the Approval node and the integrations' send and wait:
 * open the node's approval at workflow-service (the same one for every attempt), park the run until
 * its time limit, and once woken take the approval's outcome — a pending one parks again, a cancelled
 * one fails the node.
 */
public final class ApprovalGate {
    private static final long DEFAULT_MINUTES = 45;

    private final Approvals approvals;

    public ApprovalGate(Approvals approvals) {
        this.approvals = approvals;
    }

    /** Whether this attempt comes after the wait (the node parked before). */
    public static boolean woken(NodeRun run) {
        return run.parkedUntil().isPresent();
    }

    /**
     * Opens the node's approval; with {@code links}, the answer's view holds its signed approve and reject links ({@code links}).
     *
     * @param approvers {@code {users, roles}}, or empty for anyone who may change workflows
     */
    public Approvals.Approval open(NodeRun run, String message, JsonNode approvers, int required, boolean allowSelf, JsonNode form,
                                   Instant expiresAt, boolean links) {
        ObjectNode request = WeftJson.mapper().createObjectNode().put("executionId", run.executionId()).put("workflowId", run.workflowId())
                .put("nodeId", run.node().id()).put("nodeName", run.node().name()).put("message", message)
                .put("requiredApprovals", required).put("allowSelfApproval", allowSelf).put("expiresAt", expiresAt.toString())
                .put("links", links);
        request.set("approvers", approvers != null && approvers.isObject() ? approvers : JsonNodeFactory.instance.objectNode());
        request.set("form", form != null && form.isArray() ? form : JsonNodeFactory.instance.arrayNode());
        return approvals.open(run.tenantId(), request);
    }

    /** Parks the run until the approval's time limit. */
    public static WaitRequested park(Approvals.Approval approval) {
        return new WaitRequested(approval.expiresAt(), false);
    }

    /** The outcome once woken: {@code approved}, {@code rejected} or {@code timed_out}; still pending, the run parks again. */
    public Approvals.Approval settled(NodeRun run) {
        Approvals.Approval settled = approvals.settle(run.tenantId(), run.executionId(), run.node().id());
        return switch (settled.status()) {
            case "approved", "rejected", "timed_out" -> settled;
            case "pending" -> throw park(settled); // woken early by mistake: wait on
            default -> throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + run.node().name() + "\": the approval was "
                    + settled.status());
        };
    }

    /** The time limit: {@code until} (an ISO-8601 time with an offset) or {@code timeoutMinutes} from now (45 by default). */
    public static Instant expiresAt(NodeRun run, JsonNode parameters) {
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

    /** The one item a send and wait goes on with: {@code approved}, the approval's {@code status} and the approval. */
    public static ObjectNode decided(Approvals.Approval settled) {
        ObjectNode item = WeftJson.mapper().createObjectNode().put("approved", "approved".equals(settled.status())).put("status", settled.status());
        item.set("approval", outcome(settled.view()));
        return item;
    }

    /** What an item carries of the approval: its outcome, who decided what, when and why, and the form's values. */
    public static ObjectNode outcome(JsonNode view) {
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
