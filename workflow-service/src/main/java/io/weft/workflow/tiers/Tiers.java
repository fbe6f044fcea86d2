package io.weft.workflow.tiers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.tenants.TenantLookup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tenants' tiers, and whether an operator suspended them. Webhook calls and schedule ticks carry no
 * internal token, so each replica asks the gateway ({@link TenantLookup}) and keeps the answer for
 * {@code weft.workflow.tenant-state-cache} (30 s: with the gateway's own 30 s, an operator's change
 * reaches webhooks and schedules within a minute); the tier a caller's token carries (the gateway's current one) is recorded too. What
 * was last learned is kept in {@code tenant_tiers}, used while the gateway cannot answer or does not
 * know the tenant; a tenant never learned of counts as free.
 */
@ApplicationScoped
public class Tiers {
    private static final Logger LOG = Logger.getLogger(Tiers.class);
    private static final int CACHED_TENANTS = 100_000;

    private record Known(TenantLookup.TenantState state, Instant readAt) {
    }

    private final Pool pool;
    private final TierLimits limits;
    private final TenantLookup lookup;
    private final Clock clock;
    private final Map<UUID, Known> known = new ConcurrentHashMap<>();
    private final Duration kept;

    Tiers(Pool pool, TierLimits limits, TenantLookup lookup, Clock clock,
          @ConfigProperty(name = "weft.workflow.tenant-state-cache", defaultValue = "30s") Duration kept) {
        this.kept = kept;
        this.pool = pool;
        this.limits = limits;
        this.lookup = lookup;
        this.clock = clock;
    }

    public Uni<Tier> of(UUID tenant) {
        return stateOf(tenant).map(TenantLookup.TenantState::tier);
    }

    public Uni<TierLimits.Limits> limitsOf(UUID tenant) {
        return of(tenant).map(limits::of);
    }

    /** The tier's limits of a tenant that may start runs; 403 when it is suspended. */
    public Uni<TierLimits.Limits> activeLimitsOf(UUID tenant) {
        return stateOf(tenant).map(state -> {
            if (state.suspended()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "the organisation is suspended: nothing starts until an operator"
                        + " reactivates it");
            }
            return limits.of(state.tier());
        });
    }

    private Uni<TenantLookup.TenantState> stateOf(UUID tenant) {
        Known cached = known.get(tenant);
        if (cached != null && cached.readAt().plus(kept).isAfter(clock.instant())) {
            return Uni.createFrom().item(cached.state());
        }
        return lookup.ask(List.of(tenant))
                .onFailure().invoke(failure -> LOG.debugf("the gateway cannot tell the state of %s (%s); using what was learned last",
                        tenant, failure.getMessage()))
                .onFailure().recoverWithItem(Map.of())
                .chain(answered -> {
                    TenantLookup.TenantState state = answered.get(tenant);
                    return state == null ? lastLearned(tenant) : learn(tenant, state);
                })
                .map(state -> remember(tenant, state));
    }

    private Uni<TenantLookup.TenantState> lastLearned(UUID tenant) {
        return pool.preparedQuery("SELECT tier, suspended FROM tenant_tiers WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .map(rows -> rows.rowCount() == 0 ? new TenantLookup.TenantState(Tier.FREE, false)
                        : new TenantLookup.TenantState(Tier.fromWireName(rows.iterator().next().getString("tier")),
                                rows.iterator().next().getBoolean("suspended")));
    }

    private Uni<TenantLookup.TenantState> learn(UUID tenant, TenantLookup.TenantState state) {
        return pool.preparedQuery("""
                        INSERT INTO tenant_tiers (tenant_id, tier, suspended) VALUES ($1, $2, $3)
                        ON CONFLICT (tenant_id) DO UPDATE SET tier = excluded.tier, suspended = excluded.suspended, updated_at = now()
                        WHERE (tenant_tiers.tier, tenant_tiers.suspended) IS DISTINCT FROM (excluded.tier, excluded.suspended)""")
                .execute(Tuple.of(tenant, state.tier().wireName(), state.suspended()))
                .replaceWith(state);
    }

    /**
     * Records the tier a caller's token carries (the gateway put its current one there, and would
     * not have forwarded a suspended tenant's call); written only when it differs from what this
     * replica knows. A token that carries none (a service's) records nothing.
     */
    public Uni<Void> record(UUID tenant, java.util.Optional<Tier> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tier tier = claimed.get();
        Known cached = known.get(tenant);
        if (cached != null && cached.state().tier() == tier && !cached.state().suspended()) {
            return Uni.createFrom().voidItem();
        }
        return learn(tenant, new TenantLookup.TenantState(tier, false)).invoke(state -> remember(tenant, state)).replaceWithVoid();
    }

    private TenantLookup.TenantState remember(UUID tenant, TenantLookup.TenantState state) {
        if (known.size() >= CACHED_TENANTS) {
            known.clear();
        }
        known.put(tenant, new Known(state, clock.instant()));
        return state;
    }
}
