package io.weft.gateway.identity;

import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Tier;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A user as the API shows it. */
public record UserView(UUID id, UUID tenantId, String email, String displayName, Role role, Tier tier,
                       OffsetDateTime createdAt) {
}
