package io.weft.inference.tenants;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Tier;
import io.weft.platform.security.Caller;
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
 * The tier of the tenant a request acts for, which sets its limits (the largest document). Users' and
 * API keys' tokens say it; a service's token does not (the executor's Insert into Knowledge Base node
 * uploads with one), so the gateway, which owns tenants, is asked ({@link TenantLookup}) and the answer
 * kept for {@code weft.inference.tenant-tier-cache}. While the gateway cannot answer, and for a tenant
 * it does not know, the free tier's limits apply: the smallest, never more than the tenant paid for.
 */
@ApplicationScoped
public class TenantTiers {
    private static final Logger LOG = Logger.getLogger(TenantTiers.class);
    private static final int CACHED_TENANTS = 10_000;
    private static final Duration ASK_AT_MOST = Duration.ofSeconds(5);

    private record Known(Tier tier, Instant until) {
    }

    private final Map<UUID, Known> known = new ConcurrentHashMap<>();
    private final TenantLookup lookup;
    private final Clock clock;
    private final Duration kept;

    TenantTiers(TenantLookup lookup, Clock clock, @ConfigProperty(name = "weft.inference.tenant-tier-cache", defaultValue = "30s") Duration kept) {
        this.lookup = lookup;
        this.clock = clock;
        this.kept = kept;
    }

    /** The caller's tier: the one its token says, else the tenant's as the gateway says it. */
    public Uni<Tier> of(Caller caller, UUID tenant) {
        java.util.Optional<Tier> claimed = caller.tierClaim();
        if (claimed.isPresent()) {
            return Uni.createFrom().item(claimed.get());
        }
        Known cached = known.get(tenant);
        if (cached != null && cached.until().isAfter(clock.instant())) {
            return Uni.createFrom().item(cached.tier());
        }
        return lookup.ask(List.of(tenant))
                .ifNoItem().after(ASK_AT_MOST).fail()
                .map(states -> {
                    TenantLookup.TenantState state = states.get(tenant);
                    Tier tier = state == null ? Tier.FREE : state.tier();
                    if (known.size() >= CACHED_TENANTS) {
                        known.clear();
                    }
                    known.put(tenant, new Known(tier, clock.instant().plus(kept)));
                    return tier;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("the gateway cannot tell the tier of tenant %s (%s); the free tier's limits apply", tenant, failure.getMessage());
                    return Tier.FREE;
                });
    }
}
