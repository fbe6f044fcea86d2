package io.weft.gateway.forwarding;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.gateway.apikeys.ApiKey;
import io.weft.gateway.apikeys.ApiKeyAuthenticator;
import io.weft.gateway.apikeys.ApiKeySecrets;
import io.weft.gateway.tenants.TenantStates;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.InternalToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the credentials on a request for another service into the caller the internal token
 * describes: a user's access token or an API key ({@code wft_…}), as {@code Authorization: Bearer}
 * or, for keys, {@code X-API-Key}. Verifying an RS256 signature costs more than forwarding a small
 * request, so a verified access token is remembered until it expires (keyed by the whole token,
 * bounded by clearing the cache when it grows past {@link #MAX_CACHED}).
 */
@ApplicationScoped
public class CallerAuthenticator {
    private static final String BEARER = "Bearer ";
    static final String API_KEY_HEADER = "X-API-Key";
    static final int MAX_CACHED = 10_000;

    private final JWTParser parser;
    private final ApiKeyAuthenticator apiKeys;
    private final TenantStates tenants;
    private final Clock clock;
    private final Map<String, InternalTokenIssuer.Principal> verified = new ConcurrentHashMap<>();

    CallerAuthenticator(JWTParser parser, ApiKeyAuthenticator apiKeys, TenantStates tenants, Clock clock) {
        this.tenants = tenants;
        this.parser = parser;
        this.apiKeys = apiKeys;
        this.clock = clock;
    }

    /**
     * The caller, with its tenant's tier as it is now ({@link TenantStates}: a token's claim may be
     * minutes old); 403 when the tenant is suspended.
     */
    public Uni<InternalTokenIssuer.Principal> authenticate(HttpServerRequest request) {
        return identify(request).chain(principal -> tenants.active(UUID.fromString(principal.tenantId()))
                .map(state -> principal.withTier(state.tier().wireName())));
    }

    private Uni<InternalTokenIssuer.Principal> identify(HttpServerRequest request) {
        String credential = credential(request);
        if (credential == null) {
            return Uni.createFrom().failure(unauthorized("A bearer token or an API key is required"));
        }
        if (credential.startsWith(ApiKeySecrets.PREFIX)) {
            return apiKeys.authenticate(credential).map(CallerAuthenticator::principalOf);
        }
        try {
            return Uni.createFrom().item(user(credential));
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static String credential(HttpServerRequest request) {
        String apiKey = request.getHeader(API_KEY_HEADER);
        if (apiKey != null) {
            return apiKey.strip();
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }

    private InternalTokenIssuer.Principal user(String token) {
        InternalTokenIssuer.Principal known = verified.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.notAfter())) {
                return known;
            }
            verified.remove(token);
        }
        InternalTokenIssuer.Principal principal = verify(token);
        if (verified.size() >= MAX_CACHED) {
            verified.clear();
        }
        verified.put(token, principal);
        return principal;
    }

    private InternalTokenIssuer.Principal verify(String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            String role = jwt.getGroups().stream().findFirst().orElse(null);
            String tier = jwt.getClaim(InternalToken.TIER_CLAIM);
            return new InternalTokenIssuer.Principal(jwt.getClaim(InternalToken.TENANT_CLAIM), jwt.getSubject(), role,
                    null, tier, "user", Instant.ofEpochSecond(jwt.getExpirationTime()));
        } catch (ParseException e) {
            throw unauthorized("A valid bearer token is required");
        }
    }

    private static InternalTokenIssuer.Principal principalOf(ApiKey key) {
        String scopes = key.scopes().stream().map(Scope::wireName).sorted().collect(Collectors.joining(" "));
        return new InternalTokenIssuer.Principal(key.tenantId().toString(), "apikey:" + key.id(), null, scopes,
                key.tier(), "api_key", key.expiresAt() == null ? null : key.expiresAt().toInstant());
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail);
    }
}
