package io.weft.gateway.identity;

import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Tier;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A user as stored, with the tier of their tenant. The password hash never leaves this package. */
public record User(UUID id, UUID tenantId, Tier tier, String email, String displayName, Role role,
                   String passwordHash, OffsetDateTime createdAt) {

    public UserView view() {
        return new UserView(id, tenantId, email, displayName, role, tier, createdAt);
    }
}
