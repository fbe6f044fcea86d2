package io.weft.gateway.apikeys;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.weft.contracts.identity.Scope;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.InternalToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.stream.Collectors;
import org.jose4j.jwt.JwtClaims;

/**
 * API keys on the gateway's own endpoints ({@code /api/users/**}, {@code /api/api-keys/**}), as on
 * every forwarded route: {@code X-API-Key: wft_…} or {@code Authorization: Bearer wft_…}. The key
 * becomes a principal with the same claims a forwarded key's internal token carries (tenant,
 * scopes, no role, {@code auth=api_key}), so {@code Caller} reads both alike and a key gets 403,
 * not 401, for what its scopes do not allow. Any other bearer token is left to the JWT mechanism.
 */
public final class ApiKeyAuthentication {
    private static final String BEARER = "Bearer ";
    /** The user who created the key: who {@code GET /api/users/me} answers for a key. */
    public static final String CREATED_BY_CLAIM = "createdBy";

    private ApiKeyAuthentication() {
    }

    /** A presented API key, to be checked by {@link Provider}. */
    static final class Request extends BaseAuthenticationRequest {
        private final String key;

        Request(String key) {
            this.key = key;
        }
    }

    /** Tried before the JWT mechanism; steps aside when the request carries no API key. */
    @ApplicationScoped
    static class Mechanism implements HttpAuthenticationMechanism {

        @Override
        public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
            String key = presentedKey(context);
            return key == null ? Uni.createFrom().nullItem() : identities.authenticate(new Request(key));
        }

        @Override
        public Uni<ChallengeData> getChallenge(RoutingContext context) {
            return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"weft\""));
        }

        @Override
        public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
            return Set.of(Request.class);
        }

        @Override
        public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
            return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
        }

        @Override
        public int getPriority() {
            return DEFAULT_PRIORITY + 1;
        }

        private static String presentedKey(RoutingContext context) {
            String header = context.request().getHeader("X-API-Key");
            if (header != null) {
                return header.strip();
            }
            String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                String token = authorization.substring(BEARER.length()).strip();
                return token.startsWith(ApiKeySecrets.PREFIX) ? token : null;
            }
            return null;
        }
    }

    /** Looks the key up (remembered for a while by {@link ApiKeyAuthenticator}) and makes it a principal. */
    @ApplicationScoped
    static class Provider implements IdentityProvider<Request> {
        private final ApiKeyAuthenticator keys;

        Provider(ApiKeyAuthenticator keys) {
            this.keys = keys;
        }

        @Override
        public Class<Request> getRequestType() {
            return Request.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Request request, AuthenticationRequestContext context) {
            return keys.authenticate(request.key)
                    .onFailure(ProblemException.class).transform(failure -> new AuthenticationFailedException(failure.getMessage()))
                    .map(Provider::identity);
        }

        private static SecurityIdentity identity(ApiKey key) {
            JwtClaims claims = new JwtClaims();
            claims.setSubject("apikey:" + key.id());
            claims.setClaim(InternalToken.TENANT_CLAIM, key.tenantId().toString());
            claims.setClaim(InternalToken.SCOPE_CLAIM, key.scopes().stream().map(Scope::wireName).sorted().collect(Collectors.joining(" ")));
            claims.setClaim(InternalToken.AUTH_CLAIM, "api_key");
            claims.setClaim(InternalToken.TIER_CLAIM, key.tier());
            claims.setClaim(CREATED_BY_CLAIM, key.createdBy().toString());
            return QuarkusSecurityIdentity.builder().setPrincipal(new DefaultJWTCallerPrincipal(claims)).build();
        }
    }
}
