package io.weft.workflow.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the executors ask of approvals: open the approval of an Approval node of a run (the same one
 * for every attempt), and settle it when the run wakes — past its time limit, a pending approval
 * times out there and then, under the lock a decision takes, so exactly one of them wins. For
 * executor-service only; not routed from outside.
 */
@Path("/internal/approvals")
@Tag(name = "internal")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InternalApprovalsResource {
    private final ApprovalStore store;
    private final ApprovalLinks links;
    private final Caller caller;

    InternalApprovalsResource(ApprovalStore store, ApprovalLinks links, Caller caller) {
        this.store = store;
        this.links = links;
        this.caller = caller;
    }

    public record SettleRequest(String executionId, String nodeId) {
    }

    @POST
    @Operation(summary = "Open the approval of a node of a run, or answer the one it opened; with links: true, its signed approve and"
            + " reject links too (executor-service only)")
    public Uni<JsonNode> open(JsonNode body) {
        UUID tenant = executorTenant();
        boolean withLinks = body != null && body.path("links").asBoolean(false);
        return store.open(tenant, request(body)).map(view -> {
            com.fasterxml.jackson.databind.node.ObjectNode answer = io.weft.contracts.json.WeftJson.mapper().valueToTree(view);
            if (withLinks) {
                answer.set("links", links.links(tenant, view.id()));
            }
            return answer;
        });
    }

    @POST
    @Path("/settle")
    @Operation(summary = "The approval's outcome; pending past its time limit, it times out now (executor-service only)")
    public Uni<ApprovalView> settle(SettleRequest request) {
        UUID tenant = executorTenant();
        if (request == null || request.executionId() == null || request.nodeId() == null) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "executionId and nodeId are required");
        }
        return store.pool().withTransaction(connection -> store.ofNode(connection, tenant, request.executionId(), request.nodeId(), true)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("approval of node " + request.nodeId())))
                .call(approval -> "timed_out".equals(approval.status()) || "cancelled".equals(approval.status())
                        ? store.settle(connection, UUID.fromString(approval.id()), approval.status()) : Uni.createFrom().voidItem()));
    }

    private UUID executorTenant() {
        caller.requireService("executor", Scope.EXECUTIONS_RUN.wireName(), "only executor-service asks this");
        return caller.tenantId();
    }

    private static ApprovalStore.OpenRequest request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "the body must be an approval to open");
        }
        for (String field : new String[] {"executionId", "workflowId", "nodeId", "nodeName", "expiresAt"}) {
            if (!body.path(field).isTextual() || body.path(field).asText().isBlank() || body.path(field).asText().length() > 200) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, field + " is required");
            }
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(body.path("expiresAt").asText());
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "expiresAt must be an ISO-8601 instant");
        }
        int required = body.path("requiredApprovals").asInt(1);
        if (required < 1 || required > 20) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "requiredApprovals must be from 1 to 20");
        }
        String message = body.path("message").asText("");
        return new ApprovalStore.OpenRequest(body.path("executionId").asText(), body.path("workflowId").asText(), body.path("nodeId").asText(),
                body.path("nodeName").asText(), message.length() > 4000 ? message.substring(0, 4000) : message,
                Optional.ofNullable(body.get("approvers")).filter(JsonNode::isObject).orElse(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
                required, body.path("allowSelfApproval").asBoolean(false),
                Optional.ofNullable(body.get("form")).filter(JsonNode::isArray).orElse(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()),
                expiresAt);
    }
}
