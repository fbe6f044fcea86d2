package io.weft.workflow.usage;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What tenants hold and run here, for the gateway's operator API (which owns tenants but not their
 * workflows): the gateway asks for one page of tenants at a time with its own service token
 * ({@code service:gateway}, scope {@code tenants:usage}). Not routed from outside.
 */
@Path("/internal/tenant-usage")
@Tag(name = "internal")
@Authenticated
public class TenantUsageResource {
    static final String SCOPE = "tenants:usage";

    private final Pool pool;
    private final Caller caller;

    TenantUsageResource(Pool pool, Caller caller) {
        this.pool = pool;
        this.caller = caller;
    }

    public record UsageRequest(@NotEmpty @Size(max = 500) List<@NotNull UUID> tenantIds) {
    }

    /**
     * @param executionsLast30Days runs created in the last 30 days, whatever became of them
     * @param executionsInFlight   runs queued, running, waiting or paused now
     */
    public record Usage(long workflows, long activeWorkflows, long executionsLast30Days, long executionsInFlight) {
    }

    /** @param tenants by tenant id; every tenant asked for is there (zeros when it has nothing here) */
    public record UsageResponse(Map<UUID, Usage> tenants) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Workflows and executions of each tenant asked for (the gateway's operator API only)")
    public Uni<UsageResponse> usage(@NotNull @Valid UsageRequest request) {
        caller.requireService("gateway", SCOPE, "only the gateway asks this, for its operators");
        UUID[] tenants = request.tenantIds().stream().distinct().toArray(UUID[]::new);
        return pool.preparedQuery("""
                        SELECT t.id, w.workflows, w.active, e.last_30_days, e.in_flight
                        FROM unnest($1::uuid[]) AS t(id)
                        CROSS JOIN LATERAL (SELECT count(*) AS workflows, count(active_version) AS active
                                            FROM workflows WHERE tenant_id = t.id) w
                        -- one pass over the tenant's executions, which retention bounds
                        CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE created_at > now() - interval '30 days') AS last_30_days,
                                                   count(*) FILTER (WHERE status IN ('queued', 'running', 'waiting', 'paused')
                                                                      AND deleted_at IS NULL) AS in_flight
                                            FROM executions WHERE tenant_id = t.id) e""")
                .execute(Tuple.of(tenants))
                .map(rows -> {
                    Map<UUID, Usage> usage = new LinkedHashMap<>();
                    rows.forEach(row -> usage.put(row.getUUID("id"), new Usage(row.getLong("workflows"), row.getLong("active"),
                            row.getLong("last_30_days"), row.getLong("in_flight"))));
                    return new UsageResponse(usage);
                });
    }
}
