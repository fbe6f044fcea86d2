package io.weft.workflow.executions;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import io.weft.workflow.tiers.Tiers;
import io.weft.workflow.workflows.WorkflowStore;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * Stop, pause, resume and retry an execution. Each is checked against the execution's status in the read
 * model (409 when it cannot apply) and sent to the executors, which act on it wherever the
 * execution is — running, waiting, paused, or not taken yet. The answer is 202: the execution's
 * status changes when the executor's event arrives.
 */
@Path("/api/orchestrator/executions/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class LifecycleResource {
    private static final Logger LOG = Logger.getLogger(LifecycleResource.class);
    private static final Set<String> STOPPABLE = Set.of("pending", "queued", "running", "waiting", "paused");
    private static final Set<String> PAUSABLE = Set.of("queued", "running");
    private static final int MAX_REASON = 500;

    /** @param reason why it is stopped, shown on the cancelled execution */
    public record StopRequest(String reason) {
    }

    public record CommandAccepted(String executionId, String command, String status) {
    }

    /**
     * @param from    {@code failedNode} (the default when the execution failed at a node): run that node
     *                and what follows, taking over what finished before it; {@code start}: run it all again
     * @param version {@code pinned} (default): the version it ran; {@code latest}: the active one
     */
    public record RetryRequest(String from, String version) {
    }

    public record RetryAccepted(String executionId, String retryOf, String from, int workflowVersion, String status) {
    }

    private final ExecutionStore store;
    private final Executors executors;
    private final Caller caller;
    private final Clock clock;
    private final WorkflowStore workflows;
    private final Tiers tiers;
    private final PendingRuns pendingRuns;

    LifecycleResource(ExecutionStore store, Executors executors, Caller caller, Clock clock, WorkflowStore workflows, Tiers tiers,
                      PendingRuns pendingRuns) {
        this.pendingRuns = pendingRuns;
        this.tiers = tiers;
        this.workflows = workflows;
        this.store = store;
        this.executors = executors;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Path("/stop")
    @Operation(summary = "Stop (cancel) an execution that has not finished; a running node is interrupted within a second, "
            + "a run still held back by a limit is withdrawn at once (200)")
    public Uni<Response> stop(@PathParam("id") String id, StopRequest body) {
        String reason = body == null || body.reason() == null ? null : Paging.bounded("reason", body.reason(), MAX_REASON);
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.EXECUTIONS_RUN);
        String executionId = ExecutionsResource.executionId(id);
        ExecutionControl.Cancel cancel = new ExecutionControl.Cancel(UUID.randomUUID().toString(), tenant.toString(), executionId,
                caller.subject(), reason, clock.instant());
        return store.status(tenant, executionId)
                .map(found -> found.orElseThrow(ExecutionsResource::notFound))
                .chain(status -> !"pending".equals(status) ? send(executionId, "stop", status, STOPPABLE, cancel)
                        : store.find(tenant, executionId).map(found -> found.orElseThrow(ExecutionsResource::notFound).execution())
                                .chain(execution -> withdraw(tenant, execution, cancel)));
    }

    /**
     * A held run never reached the executors: it leaves the queue and is cancelled here, and its
     * {@code ExecutionCancelled} goes on the events topic for logs and outside consumers too.
     * One that a release sent meanwhile is stopped like any other; one stopped meanwhile is a 409.
     */
    private Uni<Response> withdraw(UUID tenant, ExecutionView.Summary execution, ExecutionControl.Cancel cancel) {
        ExecutionEvent.ExecutionCancelled cancelled = new ExecutionEvent.ExecutionCancelled(UUID.randomUUID().toString(),
                tenant.toString(), execution.id(), execution.workflowId(), 1, cancel.requestedBy(), cancel.reason(), List.of(),
                clock.instant());
        return pendingRuns.withdraw(tenant, cancelled).chain(withdrawn -> {
            if (!withdrawn) {
                return store.status(tenant, execution.id())
                        .map(found -> found.orElseThrow(ExecutionsResource::notFound))
                        .chain(now -> send(execution.id(), "stop", now, STOPPABLE, cancel));
            }
            return executors.announce(cancelled)
                    .onFailure().invoke(failure -> LOG.warnf("the withdrawn run %s is cancelled, but its event could not be published: %s",
                            execution.id(), failure.getMessage()))
                    .onFailure().recoverWithNull()
                    .replaceWith(Response.ok(new CommandAccepted(execution.id(), "stop", "cancelled")).build());
        });
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

    @POST
    @Path("/retry")
    @Operation(summary = "Retry a failed or cancelled execution as a new one: from the failed node (default) or the start, "
            + "on the version it ran (default) or the active one")
    public Uni<Response> retry(@PathParam("id") String id, RetryRequest body,
                               @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.EXECUTIONS_RUN);
        String executionId = ExecutionsResource.executionId(id);
        RetryRequest asked = body == null ? new RetryRequest(null, null) : body;
        if (asked.from() != null && !Set.of("failedNode", "start").contains(asked.from())) {
            throw Paging.invalid("from", "must be failedNode or start");
        }
        if (asked.version() != null && !Set.of("pinned", "latest").contains(asked.version())) {
            throw Paging.invalid("version", "must be pinned or latest");
        }
        IdempotencyKeys.Key key = IdempotencyKeys.of(idempotencyKey, "retry", executionId, asked.from(), asked.version());
        return store.find(tenant, executionId)
                .map(found -> found.orElseThrow(ExecutionsResource::notFound).execution())
                .chain(earlier -> {
                    if (!Set.of("failed", "cancelled").contains(earlier.status())) {
                        throw new ProblemException(ProblemType.CONFLICT, "only failed or cancelled executions are retried; this one is "
                                + earlier.status());
                    }
                    boolean fromNode = !"start".equals(asked.from()) && earlier.failedNodeId() != null;
                    if ("failedNode".equals(asked.from()) && earlier.failedNodeId() == null) {
                        throw new ProblemException(ProblemType.CONFLICT, "the execution did not fail at a node; retry it from the start");
                    }
                    return version(tenant, earlier, "latest".equals(asked.version())).chain(target -> {
                        String retryId = UUID.randomUUID().toString();
                        ExecutionRequested request = new ExecutionRequested(UUID.randomUUID().toString(), tenant.toString(), retryId,
                                earlier.workflowId(), target.version(), target.planHash(), trigger(earlier.trigger()), null, null,
                                caller.subject(), earlier.id(), fromNode ? earlier.failedNodeId() : null, clock.instant());
                        return tiers.record(tenant, caller.tierClaim()).chain(() -> executors.queueOnce(request, key)).map(queued -> {
                            ExecutionRequested retry = queued.request();
                            return ManualRunsResource.accepted(new RetryAccepted(retry.executionId(), retry.retryOf(),
                                    retry.startAtNodeId() != null ? "failedNode" : "start", retry.workflowVersion(), queued.status()), queued);
                        });
                    });
                });
    }

    private record Target(int version, String planHash) {
    }

    /** The version the execution ran, or the workflow's active one (409 when there is none). */
    private Uni<Target> version(UUID tenant, ExecutionView.Summary earlier, boolean latest) {
        if (!latest) {
            if (earlier.workflowVersion() == null || earlier.planHash() == null) {
                throw new ProblemException(ProblemType.CONFLICT, "the version this execution ran is not known; retry it on the latest");
            }
            return Uni.createFrom().item(new Target(earlier.workflowVersion(), earlier.planHash()));
        }
        UUID workflowId;
        try {
            workflowId = UUID.fromString(earlier.workflowId());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.CONFLICT, "the execution's workflow is not one of this service's");
        }
        return workflows.find(tenant, workflowId).map(found -> {
            var workflow = found.orElseThrow(() -> new ProblemException(ProblemType.CONFLICT, "the execution's workflow was deleted"));
            if (workflow.activeVersion() == null) {
                throw new ProblemException(ProblemType.CONFLICT, "the workflow has no active version to retry on");
            }
            return new Target(workflow.activeVersion(), workflow.activePlanHash());
        });
    }

    private static TriggerKind trigger(String stored) {
        try {
            return stored == null ? TriggerKind.MANUAL : TriggerKind.valueOf(stored);
        } catch (IllegalArgumentException e) {
            return TriggerKind.MANUAL;
        }
    }

    private Uni<Response> command(String id, String name, Set<String> allowed,
                                  java.util.function.BiFunction<UUID, String, ExecutionControl> command) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.EXECUTIONS_RUN);
        String executionId = ExecutionsResource.executionId(id);
        return store.status(tenant, executionId)
                .map(found -> found.orElseThrow(ExecutionsResource::notFound))
                .chain(status -> send(executionId, name, status, allowed, command.apply(tenant, caller.subject())));
    }

    /** Sends the command when the execution's status allows it (409 otherwise); 202, as the executors act on it. */
    private Uni<Response> send(String executionId, String name, String status, Set<String> allowed, ExecutionControl command) {
        if (!allowed.contains(status)) {
            throw new ProblemException(ProblemType.CONFLICT, "cannot " + name + " an execution that is " + status);
        }
        return executors.command(command).map(sent -> Response.accepted(new CommandAccepted(executionId, name, status)).build());
    }
}
