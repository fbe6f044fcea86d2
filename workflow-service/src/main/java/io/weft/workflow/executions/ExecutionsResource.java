package io.weft.workflow.executions;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The tenant's executions, as the read model knows them from the executors' events. */
@Path("/api/orchestrator/executions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ExecutionsResource {
    static final Set<String> STATUSES = Set.of("pending", "queued", "running", "waiting", "paused", "succeeded", "failed",
            "cancelled");
    private static final int MAX_ID = 100;

    public record Page(List<ExecutionView.Summary> items, String nextCursor) {
    }

    private final ExecutionStore store;
    private final Caller caller;

    ExecutionsResource(ExecutionStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Executions, newest first; filter by workflowId, status (comma-separated) and createdAt range [from, to)")
    public Uni<Page> list(@QueryParam("workflowId") String workflowId, @QueryParam("status") String status,
                          @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
                          @QueryParam("cursor") String cursor) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ);
        ExecutionStore.Filter filter = new ExecutionStore.Filter(
                workflowId == null || workflowId.isBlank() ? null : Paging.bounded("workflowId", workflowId, MAX_ID), statuses(status),
                time("from", from), time("to", to));
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw Paging.invalid("to", "must be later than from");
        }
        int size = Paging.limit(limit);
        return store.list(tenant, filter, cursor(cursor), size + 1).map(page -> {
            boolean more = page.size() > size;
            List<ExecutionView.Summary> items = more ? page.subList(0, size) : page;
            ExecutionView.Summary last = items.isEmpty() ? null : items.get(items.size() - 1);
            return new Page(items, more ? Paging.encode(last.createdAt(), last.id()) : null);
        });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One execution with each node it reached: status, attempts, times, error, output preview")
    public Uni<ExecutionView> get(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ);
        return store.find(tenant, executionId(id)).map(found -> found.orElseThrow(ExecutionsResource::notFound));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a finished execution from the executions list, with its node results and stored events"
            + " (409 while it has not finished)")
    public Uni<Response> delete(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.EXECUTIONS_RUN);
        return store.delete(tenant, executionId(id)).map(deleted -> switch (deleted) {
            case DELETED -> Response.noContent().build();
            case NOT_FOUND -> throw notFound();
            case NOT_FINISHED -> throw new ProblemException(ProblemType.CONFLICT,
                    "the execution has not finished; stop it first, then delete it");
        });
    }

    /** An id no execution can have (too long, or holding NUL) names none: 404 like any unknown id. */
    public static String executionId(String id) {
        if (id.length() > MAX_ID || id.indexOf('\0') >= 0) {
            throw notFound();
        }
        return id;
    }

    public static ProblemException notFound() {
        return ProblemException.notFound("execution");
    }

    private static Set<String> statuses(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Set<String> statuses = new LinkedHashSet<>();
        for (String status : Paging.bounded("status", value, 200).split(",")) {
            String wanted = status.trim().toLowerCase(java.util.Locale.ROOT);
            if (!STATUSES.contains(wanted)) {
                throw Paging.invalid("status", "must be one or more of " + String.join(", ", List.of("pending", "queued", "running",
                        "waiting", "paused", "succeeded", "failed", "cancelled")));
            }
            statuses.add(wanted);
        }
        return statuses;
    }

    private static OffsetDateTime time(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(Paging.bounded(parameter, value, 40)).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw Paging.invalid(parameter, "must be an instant such as 2026-11-26T08:00:00Z");
        }
    }

    private static ExecutionStore.Cursor cursor(String value) {
        Paging.Position position = Paging.decode(value);
        return position == null ? null : new ExecutionStore.Cursor(position.at().atOffset(ZoneOffset.UTC), position.id());
    }
}
