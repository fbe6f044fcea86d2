package io.weft.gateway.identity;

import io.smallrye.jwt.build.Jwt;
import io.weft.platform.security.InternalToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Signs access tokens (same claim names as the internal token, so that {@code Caller} reads both) (RS256, key from {@code smallrye.jwt.sign.key.location}). Claims: {@code sub}
 * user id, {@code tid} tenant id, {@code groups} the role, {@code tier}. No personal data: a token is
 * readable by whoever holds it (browser storage, logs of a proxy), so the e-mail and the name stay
 * behind {@code GET /api/users/me}.
 */
@ApplicationScoped
public class AccessTokens {
    private static final Duration MAX_TTL = Duration.ofMinutes(15);

    private final AuthConfig config;
    private final Clock clock;

    AccessTokens(AuthConfig config, Clock clock) {
        if (config.accessTokenTtl().compareTo(MAX_TTL) > 0 || config.accessTokenTtl().isNegative()) {
            throw new IllegalArgumentException("weft.auth.access-token-ttl must be between 0 and 15 minutes");
        }
        this.config = config;
        this.clock = clock;
    }

    public record Issued(String token, long expiresInSeconds) {
    }

    public Issued issue(User user) {
        Instant now = clock.instant();
        String token = Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(user.id().toString())
                .groups(Set.of(user.role().wireName()))
                .claim(InternalToken.TENANT_CLAIM, user.tenantId().toString())
                .claim(InternalToken.TIER_CLAIM, user.tier().wireName())
                .issuedAt(now)
                .expiresAt(now.plus(config.accessTokenTtl()))
                .sign();
        return new Issued(token, config.accessTokenTtl().toSeconds());
    }
}
