package io.weft.logs.audit;

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
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestMulti;

/** The tenant's audit trail: admins and owners, or API keys with {@code audit:read}. */
@Path("/api/logs/audit")
@Authenticated
public class AuditResource {
    private static final Exports.Shape<AuditStore.Entry> SHAPE = new Exports.Shape<>(
            List.of("eventId", "occurredAt", "actorType", "actorId", "action", "objectType", "objectId", "outcome", "sourceIp", "details"),
            e -> Arrays.asList(e.eventId(), e.occurredAt(), e.actorType(), e.actorId(), e.action(), e.objectType(), e.objectId(),
                    e.outcome(), e.sourceIp(), e.details()));

    private final AuditStore store;
    private final Caller caller;

    AuditResource(AuditStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Who did what to which object, newest first; filter by actor, action (a prefix when it ends with '.'),"
            + " objectType, objectId and time [from, to)")
    public Uni<Page<AuditStore.Entry>> list(@QueryParam("actor") String actor, @QueryParam("action") String action,
                          @QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId,
                          @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
                          @QueryParam("cursor") String cursor) {
        UUID tenant = caller.tenantFor(Role.ADMIN, Scope.AUDIT_READ);
        AuditStore.Filter filter = filter(actor, action, objectType, objectId, from, to);
        int size = Paging.limit(limit);
        return store.page(tenant, filter, Keyset.decode(cursor), size + 1)
                .map(entries -> Page.of(entries, size, e -> Keyset.of(e.occurredAt(), e.eventId())));
    }

    @GET
    @Path("/export")
    // One declared type: the stream sets its own Content-Type from format (Quarkus negotiates no type for a Multi).
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "The audit trail with the same filters, streamed as CSV or NDJSON (format=csv|ndjson)")
    public RestMulti<byte[]> export(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                    @QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId,
                                    @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("format") String format) {
        UUID tenant = caller.tenantFor(Role.ADMIN, Scope.AUDIT_READ);
        AuditStore.Filter filter = filter(actor, action, objectType, objectId, from, to);
        return Exports.stream("audit", Exports.format(format), SHAPE,
                (Keyset after) -> store.page(tenant, filter, after, Exports.PAGE),
                entry -> Keyset.of(entry.occurredAt(), entry.eventId()));
    }

    private static AuditStore.Filter filter(String actor, String action, String objectType, String objectId, String from, String to) {
        AuditStore.Filter filter = new AuditStore.Filter(Params.text("actor", actor), Params.text("action", action),
                Params.text("objectType", objectType), Params.text("objectId", objectId), Params.time("from", from), Params.time("to", to));
        Params.requireOrdered(filter.from(), filter.to());
        return filter;
    }
}
