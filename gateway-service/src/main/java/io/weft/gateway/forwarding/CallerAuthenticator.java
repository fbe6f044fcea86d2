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
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Turns the credentials on a request for another service into the caller the internal token describes. */
@ApplicationScoped
public class CallerAuthenticator {
    private static final String BEARER = "Bearer ";

    private final JWTParser parser;

    CallerAuthenticator(JWTParser parser) {
        this.parser = parser;
    }

    public InternalTokenIssuer.Principal authenticate(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("A bearer token is required");
        }
        String token = header.substring(BEARER.length()).strip();
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
