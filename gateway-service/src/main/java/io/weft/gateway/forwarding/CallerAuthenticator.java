package io.weft.gateway.forwarding;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.problems.ProblemType;
import io.weft.gateway.identity.AccessTokens;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.InternalToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the credentials on a request for another service into the caller the internal token
 * describes. Verifying an RS256 signature costs more than forwarding a small request, so a
 * verified token is remembered until it expires (keyed by the whole token, bounded by clearing
 * the cache when it grows past {@link #MAX_CACHED}).
 */
@ApplicationScoped
public class CallerAuthenticator {
    private static final String BEARER = "Bearer ";
    static final int MAX_CACHED = 10_000;

    private final JWTParser parser;
    private final Clock clock;
    private final Map<String, InternalTokenIssuer.Principal> verified = new ConcurrentHashMap<>();

    CallerAuthenticator(JWTParser parser, Clock clock) {
        this.parser = parser;
        this.clock = clock;
    }

    public InternalTokenIssuer.Principal authenticate(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("A bearer token is required");
        }
        String token = header.substring(BEARER.length()).strip();
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
            String tier = jwt.getClaim(AccessTokens.TIER_CLAIM);
            return new InternalTokenIssuer.Principal(jwt.getClaim(InternalToken.TENANT_CLAIM), jwt.getSubject(), role,
                    null, tier, "user", Instant.ofEpochSecond(jwt.getExpirationTime()));
        } catch (ParseException e) {
            throw unauthorized("A valid bearer token is required");
        }
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail);
    }
}
