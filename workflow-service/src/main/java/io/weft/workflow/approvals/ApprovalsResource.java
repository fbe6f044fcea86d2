package io.weft.workflow.approvals;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The organisation's approvals: list them (those waiting for the caller with {@code mine=true}), read
 * one, decide. Another organisation's approval is not found.
 */
@Path("/api/orchestrator/approvals")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ApprovalsResource {
    private static final Set<String> STATUSES = Set.of("pending", "approved", "rejected", "timed_out", "cancelled");

    private final ApprovalStore store;
    private final ApprovalDecisions decisions;
    private final Caller caller;

    ApprovalsResource(ApprovalStore store, ApprovalDecisions decisions, Caller caller) {
        this.store = store;
        this.decisions = decisions;
        this.caller = caller;
    }

    public record ApprovalList(List<ApprovalView> items) {
    }

    @GET
    @Operation(summary = "The organisation's approvals, newest first; status=pending&mine=true: those the caller may still decide")
    public Uni<ApprovalList> list(@QueryParam("status") String status, @QueryParam("mine") boolean mine, @QueryParam("limit") String limit) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ);
        if (status != null && !STATUSES.contains(status)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "status must be one of " + STATUSES.stream().sorted().toList());
        }
        int most = Paging.limit(limit);
        return store.list(tenant, status, mine ? Paging.MAX_LIMIT * 5 : most).map(all -> new ApprovalList(all.stream()
                .filter(approval -> !mine || approval.pending() && waitsFor(approval))
                .limit(most).toList()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One approval: its message, form, approvers, decisions and outcome")
    public Uni<ApprovalView> get(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ);
        UUID approval = Paging.uuid(id).orElseThrow(() -> ProblemException.notFound("approval " + id));
        return store.find(store.pool(), tenant, approval, false).map(found -> found.orElseThrow(() -> ProblemException.notFound("approval " + id)));
    }

    @POST
    @Path("/{id}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve or reject (with a comment and the form's values); the run goes on once the approval has its outcome")
    public Uni<ApprovalView> decide(@PathParam("id") String id, ApprovalDecisions.Decision decision) {
        UUID tenant = caller.tenantId();
        UUID approval = Paging.uuid(id).orElseThrow(() -> ProblemException.notFound("approval " + id));
        return decisions.decide(caller, tenant, approval, decision);
    }

    /** Whether the caller may decide the approval and has not yet. */
    private boolean waitsFor(ApprovalView approval) {
        boolean decided = false;
        for (var decision : approval.decisions()) {
            decided |= caller.subject().equals(decision.path("decidedBy").asText());
        }
        boolean self = !approval.allowSelfApproval() && caller.subject().equals(approval.requestedBy());
        return !decided && !self && ApprovalDecisions.mayDecide(caller, approval.approvers());
    }
}
