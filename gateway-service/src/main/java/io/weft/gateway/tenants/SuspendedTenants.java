package io.weft.gateway.tenants;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.weft.platform.security.InternalToken;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The gateway's own endpoints (users, API keys) refuse a suspended tenant's callers with 403, as
 * the forwarded routes do ({@code CallerAuthenticator}). Anonymous requests pass (sign-in checks on
 * its own); a credential that does not authenticate is left to the endpoint's security (401).
 */
public class SuspendedTenants {
    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    TenantStates states;

    @ServerRequestFilter
    public Uni<Void> refuseSuspended() {
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> {
                    if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                        return Uni.createFrom().voidItem();
                    }
                    String tenant = token.getClaim(InternalToken.TENANT_CLAIM);
                    return tenant == null ? Uni.createFrom().voidItem() : states.active(UUID.fromString(tenant)).replaceWithVoid();
                });
    }
}
