package io.weft.logs.tenants;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Tier;
import io.weft.logs.LogsConfig;
import io.weft.platform.tenants.TenantLookup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Which tier each tenant is on, so that its logs go to the tier's partitions and are kept for the
 * tier's time. Events carry no tier: the gateway, which owns tenants, answers ({@link TenantLookup}).
 * Answers are kept in memory for {@code weft.logs.tier-cache} and in {@code tenant_tiers}, which is what ingest falls back on while the gateway cannot answer; a
 * tenant the gateway has never answered for while it is down fails the batch, which is tried again
 * (nothing is stored under a guessed tier). A tenant the gateway does not know counts as free.
 */
@ApplicationScoped
public class TenantTiers {
    private static final Logger LOG = Logger.getLogger(TenantTiers.class);

    private record Known(Tier tier, Instant until) {
    }

    private final Map<UUID, Known> known = new ConcurrentHashMap<>();
    private final Pool pool;
    private final Clock clock;
    private final Duration ttl;
    private final TenantLookup lookup;

    TenantTiers(Pool pool, Clock clock, LogsConfig config, TenantLookup lookup) {
        this.pool = pool;
        this.clock = clock;
        this.ttl = config.tierCache();
        this.lookup = lookup;
    }

    /** The tier of each tenant (all of them, or a failure). */
    public Uni<Map<UUID, Tier>> of(Set<UUID> tenants) {
        Instant now = clock.instant();
        Map<UUID, Tier> tiers = new HashMap<>();
        List<UUID> missing = new ArrayList<>();
        for (UUID tenant : tenants) {
            Known entry = known.get(tenant);
            if (entry != null && entry.until().isAfter(now)) {
                tiers.put(tenant, entry.tier());
            } else {
                missing.add(tenant);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(tiers);
        }
        return askGateway(missing)
                .map(answered -> {
                    // A tenant the gateway does not know (deleted, or never existed) gets the shortest retention.
                    missing.forEach(tenant -> answered.putIfAbsent(tenant, Tier.FREE));
                    return answered;
                })
                .call(this::remember)
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("the gateway cannot tell the tiers of %d tenants (%s); using the tiers last learned",
                            missing.size(), failure.getMessage());
                    return lastLearned(missing);
                })
                .map(found -> {
                    List<UUID> unknown = missing.stream().filter(tenant -> !found.containsKey(tenant)).toList();
                    if (!unknown.isEmpty()) {
                        throw new IllegalStateException("no tier known for tenants " + unknown);
                    }
                    found.forEach((tenant, tier) -> known.put(tenant, new Known(tier, now.plus(ttl))));
                    tiers.putAll(found);
                    return tiers;
                });
    }

    private Uni<Map<UUID, Tier>> askGateway(List<UUID> tenants) {
        return lookup.ask(tenants).map(states -> {
            Map<UUID, Tier> tiers = new HashMap<>();
            states.forEach((tenant, state) -> tiers.put(tenant, state.tier()));
            return tiers;
        });
    }

    private Uni<Void> remember(Map<UUID, Tier> tiers) {
        if (tiers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> ids = List.copyOf(tiers.keySet());
        return pool.preparedQuery("""
                        INSERT INTO tenant_tiers (tenant_id, tier, learned_at) SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])
                        ON CONFLICT (tenant_id) DO UPDATE SET tier = excluded.tier, learned_at = excluded.learned_at""")
                .execute(Tuple.of(ids.toArray(UUID[]::new), ids.stream().map(id -> tiers.get(id).wireName()).toArray(String[]::new),
                        ids.stream().map(id -> clock.instant().atOffset(java.time.ZoneOffset.UTC)).toArray(java.time.OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    private Uni<Map<UUID, Tier>> lastLearned(List<UUID> tenants) {
        return pool.preparedQuery("SELECT tenant_id, tier FROM tenant_tiers WHERE tenant_id = ANY($1)")
                .execute(Tuple.of(tenants.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Tier> tiers = new HashMap<>();
                    rows.forEach(row -> tiers.put(row.getUUID("tenant_id"), Tier.fromWireName(row.getString("tier"))));
                    return tiers;
                });
    }
}
