package io.weft.executor.nodes.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.executor.engine.NodeFailure;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Looks of polling triggers, asked by workflow-service when a trigger's schedule says it is time:
 * the executor looks because it alone may resolve the tenant's credentials. Answers the new items
 * and the state for the next look; workflow-service starts the runs. Not routed from outside.
 */
@Path("/internal/trigger-polls")
@Tag(name = "internal")
@Authenticated
public class TriggerPollsResource {
    private final GmailPolls gmail;
    private final Caller caller;

    TriggerPollsResource(GmailPolls gmail, Caller caller) {
        this.gmail = gmail;
        this.caller = caller;
    }

    /**
     * @param credentialId the node's credential of the trigger's type, or null
     * @param state        what the last look answered; null before the first
     */
    public record PollRequest(String workflowId, String nodeId, String type, int typeVersion, JsonNode parameters, String credentialId,
                              JsonNode state) {
    }

    public record PollAnswer(java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> items, JsonNode state) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One look of a polling trigger for the tenant's workflow (workflow-service only)")
    public PollAnswer poll(PollRequest request) {
        caller.requireService("workflow", Scope.EXECUTIONS_RUN.wireName(), "only workflow-service asks this");
        String tenant = caller.tenantId().toString();
        if (request == null || request.workflowId() == null || request.nodeId() == null || request.type() == null) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "workflowId, nodeId and type are required");
        }
        if (!GmailTrigger.TYPE.equals(request.type()) || request.typeVersion() != 1) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, request.type() + " v" + request.typeVersion() + " is not a polling trigger");
        }
        try {
            GmailPolls.Look look = gmail.look(tenant, request.workflowId(), request.nodeId(),
                    request.parameters() == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : request.parameters(),
                    request.credentialId(), request.state());
            return new PollAnswer(look.messages(), look.state());
        } catch (NodeFailure failure) {
            throw problem(failure);
        }
    }

    /** A look that failed, as workflow-service reads it: the kind in the detail, retryable ones as 502/503. */
    private static ProblemException problem(NodeFailure failure) {
        ProblemType type = switch (failure.kind()) {
            case CREDENTIALS, INVALID_PARAMETERS, NOT_FOUND -> ProblemType.CONFLICT;
            case RATE_LIMITED -> ProblemType.RATE_LIMITED;
            default -> ProblemType.BAD_GATEWAY;
        };
        return new ProblemException(type, failure.kind().name() + ": " + failure.getMessage());
    }
}
