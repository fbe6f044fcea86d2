package io.weft.workflow.schedules;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.platform.security.Caller;
import io.weft.workflow.workflows.WorkflowIds;
import io.weft.workflow.workflows.WorkflowStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** When a workflow's Schedule Triggers fire next (those of its active version). */
@Path("/api/orchestrator/workflows/{id}/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class SchedulesResource {

    public record Schedules(List<ScheduleStore.View> schedules) {
    }

    private final ScheduleStore schedules;
    private final WorkflowStore workflows;
    private final Caller caller;

    SchedulesResource(ScheduleStore schedules, WorkflowStore workflows, Caller caller) {
        this.schedules = schedules;
        this.workflows = workflows;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The workflow's schedules and when each fires next (empty while it is not active)")
    public Uni<Schedules> list(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        UUID workflowId = WorkflowIds.parse(id);
        return workflows.find(tenant, workflowId)
                .map(found -> found.orElseThrow(WorkflowIds::notFound))
                .chain(workflow -> schedules.active(tenant, workflowId))
                .map(Schedules::new);
    }
}
