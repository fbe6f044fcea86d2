package io.weft.logs.redaction;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.logs.LogsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's redaction policy: which personal-data categories it masks (secrets are always
 * masked). A tenant without one masks everything. Policies are kept in memory for
 * {@code weft.logs.policy-cache}, so a change reaches ingest within that time.
 */
@ApplicationScoped
public class RedactionPolicies {
    private record Cached(RedactionPolicy policy, Instant until) {
    }

    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();
    private final Pool pool;
    private final Clock clock;
    private final LogsConfig config;

    RedactionPolicies(Pool pool, Clock clock, LogsConfig config) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
    }

    public Uni<Map<UUID, RedactionPolicy>> of(Set<UUID> tenants) {
        Instant now = clock.instant();
        Map<UUID, RedactionPolicy> policies = new HashMap<>();
        List<UUID> missing = new ArrayList<>();
        for (UUID tenant : tenants) {
            Cached cached = cache.get(tenant);
            if (cached != null && cached.until().isAfter(now)) {
                policies.put(tenant, cached.policy());
            } else {
                missing.add(tenant);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(policies);
        }
        return pool.preparedQuery("SELECT tenant_id, personal_data FROM redaction_policies WHERE tenant_id = ANY($1)")
                .execute(Tuple.of(missing.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, RedactionPolicy> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(row.getUUID("tenant_id"), policy(row.getArrayOfStrings("personal_data")));
                    }
                    for (UUID tenant : missing) {
                        RedactionPolicy policy = found.getOrDefault(tenant, RedactionPolicy.all());
                        cache.put(tenant, new Cached(policy, now.plus(config.policyCache())));
                        policies.put(tenant, policy);
                    }
                    return policies;
                });
    }

    public Uni<RedactionPolicy> of(UUID tenant) {
        return of(Set.of(tenant)).map(policies -> policies.get(tenant));
    }

    public Uni<RedactionPolicy> put(UUID tenant, Set<RedactionCategory> personalData, String by) {
        String[] names = personalData.stream().filter(category -> !category.secret()).map(RedactionCategory::wireName).sorted()
                .toArray(String[]::new);
        return pool.preparedQuery("""
                        INSERT INTO redaction_policies (tenant_id, personal_data, updated_at, updated_by) VALUES ($1, $2, now(), $3)
                        ON CONFLICT (tenant_id) DO UPDATE SET personal_data = excluded.personal_data, updated_at = now(),
                            updated_by = excluded.updated_by""")
                .execute(Tuple.of(tenant, names, by))
                .map(done -> {
                    cache.remove(tenant);
                    return policy(names);
                });
    }

    private static RedactionPolicy policy(String[] personalData) {
        Set<RedactionCategory> enabled = EnumSet.noneOf(RedactionCategory.class);
        Arrays.stream(personalData).forEach(name -> RedactionCategory.byWireName(name).ifPresent(enabled::add));
        return RedactionPolicy.of(enabled);
    }
}
