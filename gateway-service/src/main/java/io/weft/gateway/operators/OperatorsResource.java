package io.weft.gateway.operators;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.identity.Tier;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.gateway.audit.AuditLog;
import io.weft.gateway.tenants.TenantStates;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The operator API: the people who run the fleet list tenants, change a tenant's tier, and suspend
 * and reactivate tenants. Operators authenticate with their own key ({@link OperatorKeys}), belong
 * to no tenant, and every change goes to the tenant's audit trail with the operator as actor.
 * Changes reach every gateway replica within {@link TenantStates#REMEMBER} and the services within
 * their own caches' time (README, "Operators").
 */
@Path("/api/operator/tenants")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operator")
public class OperatorsResource {
    private static final Logger LOG = Logger.getLogger(OperatorsResource.class);
    static final String USAGE_MISSING = "workflow-service did not answer: the tenants' workflows and runs (usage) are missing";
    private final OperatorKeys operators;
    private final TenantDirectory directory;
    private final TenantStates states;
    private final AuditLog audit;
    private final WorkflowUsage usage;

    OperatorsResource(OperatorKeys operators, TenantDirectory directory, TenantStates states, AuditLog audit, WorkflowUsage usage) {
        this.operators = operators;
        this.directory = directory;
        this.states = states;
        this.audit = audit;
        this.usage = usage;
    }

    /** @param warnings what the page lacks, e.g. the tenants' usage when workflow-service did not answer */
    public record Page(List<TenantDirectory.TenantView> items, String nextCursor, List<String> warnings) {
    }

    public record TierChange(@NotNull Tier tier) {
    }

    public record Suspension(@Size(max = 500) String reason) {
    }

    @GET
    @Operation(summary = "Tenants, oldest first, with their tier, status, users, active API keys, workflows and runs (last 30 days,"
            + " in flight); filter by tier and status")
    public Uni<Page> list(@QueryParam("tier") String tier, @QueryParam("status") String status, @QueryParam("limit") String limit,
                          @QueryParam("cursor") String cursor, @Context HttpServerRequest http) {
        operators.operator(http);
        int size = Paging.limit(limit);
        Paging.Position after = Paging.decode(cursor);
        UUID afterId = after == null ? null : tenantId(after.id(), "cursor");
        return directory.list(tier(tier), suspended(status), after == null ? null : after.at().atOffset(ZoneOffset.UTC), afterId, size + 1)
                .chain(page -> {
                    boolean more = page.size() > size;
                    List<TenantDirectory.TenantView> items = more ? page.subList(0, size) : page;
                    TenantDirectory.TenantView last = items.isEmpty() ? null : items.get(items.size() - 1);
                    String next = more ? Paging.encode(last.createdAt().toInstant(), last.id().toString()) : null;
                    return counted(items).map(withUsage -> new Page(withUsage, next,
                            withUsage.stream().anyMatch(tenant -> tenant.usage() == null) ? List.of(USAGE_MISSING) : List.of()));
                });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One tenant")
    public Uni<TenantDirectory.TenantView> get(@PathParam("id") String id, @Context HttpServerRequest http) {
        operators.operator(http);
        return found(tenantId(id, "id"));
    }

    @PUT
    @Path("/{id}/tier")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move the tenant to another tier: rate limits, body limits, concurrency and retention follow")
    public Uni<TenantDirectory.TenantView> changeTier(@PathParam("id") String id, @NotNull @Valid TierChange change,
                                                      @Context HttpServerRequest http) {
        String operator = operators.operator(http);
        UUID tenant = tenantId(id, "id");
        return directory.changeTier(tenant, change.tier())
                .map(previous -> previous.orElseThrow(OperatorsResource::notFound))
                .invoke(previous -> changed(tenant, operator, "tenant.tier.change", http,
                        AuditLog.details("from", previous.wireName(), "to", change.tier().wireName())))
                .chain(() -> found(tenant));
    }

    @POST
    @Path("/{id}/suspend")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Suspend the tenant: every call of its users and keys, and every webhook, is refused (403); schedules"
            + " pause; its data is kept")
    public Uni<TenantDirectory.TenantView> suspend(@PathParam("id") String id, @Valid Suspension suspension,
                                                   @Context HttpServerRequest http) {
        String operator = operators.operator(http);
        UUID tenant = tenantId(id, "id");
        String reason = suspension == null || suspension.reason() == null || suspension.reason().isBlank() ? null
                : Paging.bounded("reason", suspension.reason().strip(), 500);
        return directory.suspend(tenant, reason)
                .invoke(exists -> {
                    if (!exists) {
                        throw notFound();
                    }
                    changed(tenant, operator, "tenant.suspend", http, reason == null ? null : AuditLog.details("reason", reason));
                })
                .chain(() -> found(tenant));
    }

    @POST
    @Path("/{id}/reactivate")
    @Operation(summary = "Reactivate a suspended tenant")
    public Uni<TenantDirectory.TenantView> reactivate(@PathParam("id") String id, @Context HttpServerRequest http) {
        String operator = operators.operator(http);
        UUID tenant = tenantId(id, "id");
        return directory.reactivate(tenant)
                .invoke(exists -> {
                    if (!exists) {
                        throw notFound();
                    }
                    changed(tenant, operator, "tenant.reactivate", http, null);
                })
                .chain(() -> found(tenant));
    }

    private void changed(UUID tenant, String operator, String action, HttpServerRequest http, com.fasterxml.jackson.databind.JsonNode details) {
        states.forget(tenant);
        audit.record(tenant.toString(), AuditEvent.ActorType.OPERATOR, "operator:" + operator, action, "tenant", tenant.toString(),
                AuditEvent.Outcome.SUCCESS, AuditLog.sourceIp(http), details);
    }

    private Uni<TenantDirectory.TenantView> found(UUID tenant) {
        return directory.find(tenant).map(found -> found.orElseThrow(OperatorsResource::notFound))
                .chain(view -> counted(List.of(view)).map(List::getFirst));
    }

    /** The tenants with their workflows and runs; without them (usage null) when workflow-service does not answer. */
    private Uni<List<TenantDirectory.TenantView>> counted(List<TenantDirectory.TenantView> tenants) {
        return usage.of(tenants.stream().map(TenantDirectory.TenantView::id).toList())
                .map(counts -> tenants.stream().map(tenant -> tenant.withUsage(counts.get(tenant.id()))).toList())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("operators see tenants without their usage: %s", failure.toString());
                    return tenants;
                });
    }

    private static UUID tenantId(String id, String parameter) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            if ("id".equals(parameter)) {
                throw notFound();
            }
            throw Paging.invalid(parameter, "is not a cursor this API gave out; start again without it");
        }
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("tenant");
    }

    private static Tier tier(String tier) {
        if (tier == null || tier.isBlank()) {
            return null;
        }
        try {
            return Tier.fromWireName(tier.strip());
        } catch (IllegalArgumentException e) {
            throw Paging.invalid("tier", "must be free, pro or enterprise");
        }
    }

    private static Boolean suspended(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        return switch (status.strip()) {
            case "active" -> false;
            case "suspended" -> true;
            default -> throw Paging.invalid("status", "must be active or suspended");
        };
    }
}
