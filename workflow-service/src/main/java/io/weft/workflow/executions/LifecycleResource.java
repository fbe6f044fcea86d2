package io.weft.workflow.executions;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Stop, pause and resume an execution. Each is checked against the execution's status in the read
 * model (409 when it cannot apply) and sent to the executors, which act on it wherever the
 * execution is — running, waiting, paused, or not taken yet. The answer is 202: the execution's
 * status changes when the executor's event arrives.
 */
@Path("/api/orchestrator/executions/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class LifecycleResource {
    private static final Set<String> STOPPABLE = Set.of("queued", "running", "waiting", "paused");
    private static final Set<String> PAUSABLE = Set.of("queued", "running");
    private static final int MAX_REASON = 500;

    /** @param reason why it is stopped, shown on the cancelled execution */
    public record StopRequest(String reason) {
    }

    public record CommandAccepted(String executionId, String command, String status) {
    }

    private final ExecutionStore store;
    private final Executors executors;
    private final Caller caller;
    private final Clock clock;

    LifecycleResource(ExecutionStore store, Executors executors, Caller caller, Clock clock) {
        this.store = store;
        this.executors = executors;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Path("/stop")
    @Operation(summary = "Stop (cancel) an execution that has not finished; a running node is interrupted within a second")
    public Uni<Response> stop(@PathParam("id") String id, StopRequest body) {
        String reason = body == null || body.reason() == null ? null : Paging.bounded("reason", body.reason(), MAX_REASON);
        return command(id, "stop", STOPPABLE, (tenant, by) -> new ExecutionControl.Cancel(UUID.randomUUID().toString(),
                tenant.toString(), id, by, reason, clock.instant()));
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause an execution before its next node; it holds no executor until resumed")
    public Uni<Response> pause(@PathParam("id") String id) {
        return command(id, "pause", PAUSABLE, (tenant, by) -> new ExecutionControl.Pause(UUID.randomUUID().toString(),
                tenant.toString(), id, by, clock.instant()));
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume a paused execution from its checkpoints (also withdraws a pause that has not taken effect)")
    public Uni<Response> resume(@PathParam("id") String id) {
        return command(id, "resume", Set.of("paused", "running", "queued"), (tenant, by) -> new ExecutionControl.Resume(
                UUID.randomUUID().toString(), tenant.toString(), id, by, clock.instant()));
    }

    private Uni<Response> command(String id, String name, Set<String> allowed,
                                  java.util.function.BiFunction<UUID, String, ExecutionControl> command) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.EXECUTIONS_RUN);
        String executionId = ExecutionsResource.executionId(id);
        return store.status(tenant, executionId)
                .map(found -> found.orElseThrow(ExecutionsResource::notFound))
                .chain(status -> {
                    if (!allowed.contains(status)) {
                        throw new ProblemException(ProblemType.CONFLICT, "cannot " + name + " an execution that is " + status);
                    }
                    return executors.command(command.apply(tenant, caller.subject()))
                            .map(sent -> Response.accepted(new CommandAccepted(executionId, name, status)).build());
                });
    }
}
