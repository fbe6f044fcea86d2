package io.weft.gateway.operators;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Tier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenants as operators see them: tier, status, and what they hold at the gateway. */
@ApplicationScoped
public class TenantDirectory {
    private static final String COLUMNS = """
            t.id, t.name, t.tier, t.created_at, t.suspended_at, t.suspension_reason,
            (SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS users,
            (SELECT count(*) FROM api_keys k WHERE k.tenant_id = t.id AND k.revoked_at IS NULL
                 AND (k.expires_at IS NULL OR k.expires_at > now())) AS api_keys""";

    /**
     * A tenant, its usage at the gateway, and its workflows and runs ({@code usage}: null until
     * asked of workflow-service, or when it did not answer).
     */
    public record TenantView(UUID id, String name, Tier tier, String status, OffsetDateTime suspendedAt, String suspensionReason,
                             long users, long activeApiKeys, WorkflowUsage.Usage usage, OffsetDateTime createdAt) {
        TenantView withUsage(WorkflowUsage.Usage counted) {
            return new TenantView(id, name, tier, status, suspendedAt, suspensionReason, users, activeApiKeys, counted, createdAt);
        }
    }

    private final Pool pool;

    TenantDirectory(Pool pool) {
        this.pool = pool;
    }

    /** Oldest first, after the given tenant (keyset); optionally of one tier and one status. */
    public Uni<List<TenantView>> list(Tier tier, Boolean suspended, OffsetDateTime afterCreated, UUID afterId, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM tenants t"
                        + " WHERE ($1::text IS NULL OR t.tier = $1) AND ($2::boolean IS NULL OR (t.suspended_at IS NOT NULL) = $2)"
                        + " AND ($3::timestamptz IS NULL OR (t.created_at, t.id) > ($3, $4))"
                        + " ORDER BY t.created_at, t.id LIMIT $5")
                .execute(Tuple.from(java.util.Arrays.asList(tier == null ? null : tier.wireName(), suspended, afterCreated, afterId, limit)))
                .map(rows -> {
                    List<TenantView> tenants = new ArrayList<>();
                    rows.forEach(row -> tenants.add(view(row)));
                    return tenants;
                });
    }

    public Uni<Optional<TenantView>> find(UUID tenant) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM tenants t WHERE t.id = $1").execute(Tuple.of(tenant))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    /** The tier it had, or empty when there is no such tenant. */
    public Uni<Optional<Tier>> changeTier(UUID tenant, Tier tier) {
        return pool.preparedQuery("""
                        UPDATE tenants t SET tier = $2 FROM (SELECT id, tier FROM tenants WHERE id = $1 FOR UPDATE) before
                        WHERE t.id = before.id RETURNING before.tier AS previous""")
                .execute(Tuple.of(tenant, tier.wireName()))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(Tier.fromWireName(rows.iterator().next().getString("previous"))));
    }

    /** Whether the tenant exists; a suspended tenant keeps its first suspension's time and gets the new reason. */
    public Uni<Boolean> suspend(UUID tenant, String reason) {
        return pool.preparedQuery("UPDATE tenants SET suspended_at = coalesce(suspended_at, now()), suspension_reason = $2 WHERE id = $1")
                .execute(Tuple.of(tenant, reason))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> reactivate(UUID tenant) {
        return pool.preparedQuery("UPDATE tenants SET suspended_at = NULL, suspension_reason = NULL WHERE id = $1")
                .execute(Tuple.of(tenant))
                .map(rows -> rows.rowCount() == 1);
    }

    private static TenantView view(Row row) {
        OffsetDateTime suspendedAt = row.getOffsetDateTime("suspended_at");
        return new TenantView(row.getUUID("id"), row.getString("name"), Tier.fromWireName(row.getString("tier")),
                suspendedAt == null ? "active" : "suspended", suspendedAt, row.getString("suspension_reason"),
                row.getLong("users"), row.getLong("api_keys"), null, row.getOffsetDateTime("created_at"));
    }
}
