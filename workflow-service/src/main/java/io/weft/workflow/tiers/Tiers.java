package io.weft.workflow.tiers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Tier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants' tiers. Webhook calls and schedule ticks carry no internal token, so the tier a token
 * claims is recorded when someone of the tenant activates or runs a workflow, and read from there. A
 * tenant never recorded counts as free. Each replica keeps what it read for a minute.
 */
@ApplicationScoped
public class Tiers {
    private static final Duration KEPT = Duration.ofMinutes(1);
    private static final int CACHED_TENANTS = 100_000;

    private record Known(Tier tier, Instant readAt) {
    }

    private final Pool pool;
    private final TierLimits limits;
    private final Clock clock;
    private final Map<UUID, Known> known = new ConcurrentHashMap<>();

    Tiers(Pool pool, TierLimits limits, Clock clock) {
        this.pool = pool;
        this.limits = limits;
        this.clock = clock;
    }

    public Uni<Tier> of(UUID tenant) {
        Known cached = known.get(tenant);
        if (cached != null && cached.readAt().plus(KEPT).isAfter(clock.instant())) {
            return Uni.createFrom().item(cached.tier());
        }
        return pool.preparedQuery("SELECT tier FROM tenant_tiers WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .map(rows -> remember(tenant, rows.rowCount() == 0 ? Tier.FREE : Tier.fromWireName(rows.iterator().next().getString("tier"))));
    }

    public Uni<TierLimits.Limits> limitsOf(UUID tenant) {
        return of(tenant).map(limits::of);
    }

    /** Records the tier a caller's token claims (written only when it differs from what this replica knows). */
    public Uni<Void> record(UUID tenant, Tier tier) {
        Known cached = known.get(tenant);
        if (cached != null && cached.tier() == tier) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("""
                        INSERT INTO tenant_tiers (tenant_id, tier) VALUES ($1, $2)
                        ON CONFLICT (tenant_id) DO UPDATE SET tier = excluded.tier, updated_at = now()
                        WHERE tenant_tiers.tier <> excluded.tier""")
                .execute(Tuple.of(tenant, tier.wireName()))
                .invoke(() -> remember(tenant, tier))
                .replaceWithVoid();
    }

    private Tier remember(UUID tenant, Tier tier) {
        if (known.size() >= CACHED_TENANTS) {
            known.clear();
        }
        known.put(tenant, new Known(tier, clock.instant()));
        return tier;
    }
}
