package io.weft.logs.executions;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.logs.api.Exports;
import io.weft.logs.api.Keyset;
import io.weft.logs.api.Page;
import io.weft.logs.api.Params;
import io.weft.platform.api.Paging;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestMulti;

/** The tenant's finished executions, as the logs keep them (running ones are the orchestrator's). */
@Path("/api/logs/history")
@Authenticated
public class HistoryResource {
    private static final Exports.Shape<HistoryStore.Entry> SHAPE = new Exports.Shape<>(
            List.of("executionId", "workflowId", "status", "startedAt", "finishedAt", "durationMs", "failedNodeId", "errorKind",
                    "errorMessage"),
            e -> java.util.Arrays.asList(e.executionId(), e.workflowId(), e.status(), e.startedAt(), e.finishedAt(), e.durationMs(),
                    e.failedNodeId(), e.errorKind(), e.errorMessage()));

    private final HistoryStore store;
    private final Caller caller;

    HistoryResource(HistoryStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Finished executions, newest first; filter by workflowId, status (succeeded, failed, cancelled;"
            + " comma-separated) and finish time [from, to)")
    public Uni<Page<HistoryStore.Entry>> list(@QueryParam("workflowId") String workflowId, @QueryParam("status") String status,
                          @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
                          @QueryParam("cursor") String cursor) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.LOGS_READ);
        HistoryStore.Filter filter = filter(workflowId, status, from, to);
        int size = Paging.limit(limit);
        return store.page(tenant, filter, Keyset.decode(cursor), size + 1)
                .map(entries -> Page.of(entries, size, e -> Keyset.of(e.finishedAt(), e.executionId())));
    }

    @GET
    @Path("/export")
    // One declared type: the stream sets its own Content-Type from format (Quarkus negotiates no type for a Multi).
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "The history with the same filters, streamed as CSV or NDJSON (format=csv|ndjson)")
    public RestMulti<byte[]> export(@QueryParam("workflowId") String workflowId, @QueryParam("status") String status,
                                    @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("format") String format) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.LOGS_READ);
        HistoryStore.Filter filter = filter(workflowId, status, from, to);
        return Exports.stream("history", Exports.format(format), SHAPE,
                (Keyset after) -> store.page(tenant, filter, after, Exports.PAGE),
                entry -> Keyset.of(entry.finishedAt(), entry.executionId()));
    }

    private static HistoryStore.Filter filter(String workflowId, String status, String from, String to) {
        HistoryStore.Filter filter = new HistoryStore.Filter(Params.text("workflowId", workflowId),
                Params.oneOf("status", status, HistoryStore.STATUSES), Params.time("from", from), Params.time("to", to));
        Params.requireOrdered(filter.from(), filter.to());
        return filter;
    }
}
