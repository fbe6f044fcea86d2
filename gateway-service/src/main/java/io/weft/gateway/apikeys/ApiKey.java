package io.weft.gateway.apikeys;

import io.weft.contracts.identity.Scope;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/** A stored API key (never the key itself). */
public record ApiKey(UUID id, UUID tenantId, UUID createdBy, String name, String prefix, Set<Scope> scopes,
                     OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt,
                     OffsetDateTime createdAt, String tier) {

    public boolean usableAt(OffsetDateTime now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** How lists show a key: its prefix and an ellipsis, never more. */
    public String masked() {
        return prefix + "…";
    }
}
