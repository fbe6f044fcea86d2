package io.weft.logs.tenants;

import io.weft.contracts.identity.Tier;
import java.time.Instant;

/**
 * A tenant's tier, which decides the partitions its rows go to, and until when events may come that
 * were already stored under the tenant's earlier tier (null when its tier has not changed).
 */
public record TenantTier(Tier tier, Instant earlierTierUntil) {
    public static TenantTier of(Tier tier) {
        return new TenantTier(tier, null);
    }

    /** Whether an event of this time may already be stored under the tenant's earlier tier (a redelivery). */
    public boolean mayBeStoredUnderEarlierTier(Instant occurredAt) {
        return earlierTierUntil != null && occurredAt.isBefore(earlierTierUntil);
    }
}
