package io.weft.logs.tenants;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Tier;
import io.weft.logs.LogsConfig;
import io.weft.platform.tenants.TenantLookup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * Answers are kept in memory for {@code weft.logs.tier-cache} and in {@code tenant_tiers}, which is
 * what ingest falls back on while the gateway cannot answer; a tenant the gateway has never answered
 * for while it is down fails the batch, which is tried again (nothing is stored under a guessed tier).
 * A tenant the gateway does not know counts as free.
 * <p>
 * {@code tenant_tiers} also records when a tenant's tier was seen to change. Until a cache period
 * (and a margin for clocks) after that, an event may have been stored under the earlier tier by a
 * replica that had not learned the change yet, so ingest looks for it under every tier
 * ({@link TenantTier#mayBeStoredUnderEarlierTier}).
 */
@ApplicationScoped
public class TenantTiers {
    private static final Logger LOG = Logger.getLogger(TenantTiers.class);
    /** How far the clocks of the services that time events may be apart. */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    private record Known(TenantTier tier, Instant until) {
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
    public Uni<Map<UUID, TenantTier>> of(Set<UUID> tenants) {
        Instant now = clock.instant();
        Map<UUID, TenantTier> tiers = new HashMap<>();
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
                .chain(this::remember)
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

    /** Stores what the gateway said, noting a change of tier, and answers it with the time of each tenant's last change. */
    private Uni<Map<UUID, TenantTier>> remember(Map<UUID, Tier> tiers) {
        if (tiers.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        List<UUID> ids = List.copyOf(tiers.keySet());
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("""
                        INSERT INTO tenant_tiers AS t (tenant_id, tier, learned_at) SELECT id, tier, $3 FROM unnest($1::uuid[], $2::text[]) AS n(id, tier)
                        ON CONFLICT (tenant_id) DO UPDATE SET tier = excluded.tier, learned_at = excluded.learned_at,
                            tier_changed_at = CASE WHEN t.tier <> excluded.tier THEN excluded.learned_at ELSE t.tier_changed_at END
                        RETURNING tenant_id, tier, tier_changed_at""")
                .execute(Tuple.of(ids.toArray(UUID[]::new), ids.stream().map(id -> tiers.get(id).wireName()).toArray(String[]::new), now))
                .map(this::tiers);
    }

    private Uni<Map<UUID, TenantTier>> lastLearned(List<UUID> tenants) {
        return pool.preparedQuery("SELECT tenant_id, tier, tier_changed_at FROM tenant_tiers WHERE tenant_id = ANY($1)")
                .execute(Tuple.of(tenants.toArray(UUID[]::new)))
                .map(this::tiers);
    }

    private Map<UUID, TenantTier> tiers(RowSet<Row> rows) {
        Map<UUID, TenantTier> tiers = new HashMap<>();
        for (Row row : rows) {
            OffsetDateTime changed = row.getOffsetDateTime("tier_changed_at");
            tiers.put(row.getUUID("tenant_id"), new TenantTier(Tier.fromWireName(row.getString("tier")),
                    changed == null ? null : changed.toInstant().plus(ttl).plus(CLOCK_MARGIN)));
        }
        return tiers;
    }
}
