package io.weft.platform.security;

import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, read from the verified internal token of the current request. Resources that
 * use it must require authentication ({@code @Authenticated} or {@code @RolesAllowed}).
 */
@RequestScoped
public class Caller {
    private final JsonWebToken token;

    @Inject
    public Caller(JsonWebToken token) {
        this.token = token;
    }

    public UUID tenantId() {
        String tenant = token.getClaim(InternalToken.TENANT_CLAIM);
        if (tenant == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "the token names no tenant");
        }
        return UUID.fromString(tenant);
    }

    /** The token's tenant, when it names one (service tokens may not). */
    public java.util.Optional<UUID> tenant() {
        String tenant = token.getClaim(InternalToken.TENANT_CLAIM);
        return tenant == null ? java.util.Optional.empty() : java.util.Optional.of(UUID.fromString(tenant));
    }

    public String subject() {
        return token.getSubject();
    }

    /** The caller's role, or {@code null} for callers that act through scopes only (API keys, services). */
    public Role role() {
        return token.getGroups().stream()
                .map(group -> {
                    try {
                        return Role.fromWireName(group);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                })
                .filter(java.util.Objects::nonNull)
                .min(Enum::compareTo)
                .orElse(null);
    }

    public Set<String> scopes() {
        String scope = token.getClaim(InternalToken.SCOPE_CLAIM);
        return scope == null || scope.isBlank() ? Set.of() : Arrays.stream(scope.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }

    /** How the caller proved who they are: {@code user}, {@code api_key} or {@code service} ({@link InternalToken#AUTH_CLAIM}). */
    public String authentication() {
        String auth = token.getClaim(InternalToken.AUTH_CLAIM);
        return auth == null ? "user" : auth;
    }

    public Tier tier() {
        return tierClaim().orElse(Tier.FREE);
    }

    /** The tier the token says, when it says one: users' and API keys' tokens do, services' do not. */
    public java.util.Optional<Tier> tierClaim() {
        String tier = token.getClaim(InternalToken.TIER_CLAIM);
        return tier == null ? java.util.Optional.empty() : java.util.Optional.of(Tier.fromWireName(tier));
    }

    /**
     * For internal endpoints: the caller must be a service (a service token from the gateway), the
     * named one when {@code service} is given (e.g. {@code executor}), holding the scope; 403 otherwise.
     */
    public void requireService(String service, String scope, String refusal) {
        boolean allowed = "service".equals(authentication()) && scopes().contains(scope)
                && (service == null || ("service:" + service).equals(subject()));
        if (!allowed) {
            throw new ProblemException(ProblemType.FORBIDDEN, refusal);
        }
    }

    /** For what only a signed-in user may do (manage users and API keys): 403 for API keys and services. */
    public void requireUser(String refusal) {
        if (!"user".equals(authentication())) {
            throw new ProblemException(ProblemType.FORBIDDEN, refusal);
        }
    }

    /** {@link #require(Role, String)}, then the caller's tenant: what a tenant-scoped endpoint starts with. */
    public UUID tenantFor(Role atLeast, Scope scope) {
        require(atLeast, scope.wireName());
        return tenantId();
    }

    public void require(Role atLeast, Scope scope) {
        require(atLeast, scope.wireName());
    }

    /** Users pass when their role is high enough; API keys and services when they hold the scope. */
    public void require(Role atLeast, String scope) {
        Role role = role();
        boolean allowed = role != null ? role.atLeast(atLeast) : scopes().contains(scope);
        if (!allowed) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    role != null ? "this needs the " + atLeast.wireName() + " role or higher" : "this needs the scope " + scope);
        }
    }
}
