package io.weft.gateway.forwarding;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import io.weft.platform.security.InternalToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the internal tokens the gateway forwards with (ES256). Signing costs far more than a
 * lookup, so a token is reused for the same caller for half its lifetime; the cache is bounded by
 * clearing it when it grows past {@link #MAX_CACHED}.
 */
@ApplicationScoped
public class InternalTokenIssuer {
    static final int MAX_CACHED = 10_000;

    private final PrivateKey key;
    private final Duration ttl;
    private final Clock clock;
    private final Map<Principal, Cached> cache = new ConcurrentHashMap<>();

    InternalTokenIssuer(ForwardingConfig config, Clock clock) {
        this.ttl = config.internalToken().ttl();
        this.clock = clock;
        try {
            this.key = (PrivateKey) KeyUtils.readSigningKey(config.internalToken().privateKeyLocation(), null,
                    SignatureAlgorithm.ES256);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the internal-token private key from "
                    + config.internalToken().privateKeyLocation(), e);
        }
        if (key == null) {
            throw new IllegalStateException("no ES256 private key at " + config.internalToken().privateKeyLocation());
        }
    }

    /** An authenticated caller as the services will see it. */
    public record Principal(String tenantId, String subject, String role, String scopes, String tier, String auth,
                            Instant notAfter) {
        public Principal withTier(String current) {
            return current.equals(tier) ? this : new Principal(tenantId, subject, role, scopes, current, auth, notAfter);
        }
    }

    private record Cached(String token, Instant reuseUntil) {
    }

    /** A signed token and how long it lives. */
    public record Issued(String token, long expiresInSeconds) {
    }

    /** A fresh token, not taken from or put in the cache (for service tokens, which their callers cache). */
    public Issued issue(Principal principal) {
        Instant now = clock.instant();
        String token = sign(principal, now);
        return new Issued(token, ttl.toSeconds());
    }

    public String tokenFor(Principal principal) {
        Instant now = clock.instant();
        Cached cached = cache.get(principal);
        if (cached != null && now.isBefore(cached.reuseUntil())) {
            return cached.token();
        }
        String token = sign(principal, now);
        Instant expiresAt = expiry(principal, now);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(principal, new Cached(token, now.plus(Duration.between(now, expiresAt).dividedBy(2))));
        return token;
    }

    private Instant expiry(Principal principal, Instant now) {
        Instant expiresAt = now.plus(ttl);
        if (principal.notAfter() != null && principal.notAfter().isBefore(expiresAt)) {
            expiresAt = principal.notAfter();
        }
        return expiresAt;
    }

    private String sign(Principal principal, Instant now) {
        Instant expiresAt = expiry(principal, now);
        JwtClaimsBuilder claims = Jwt.issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject(principal.subject())
                .claim(InternalToken.AUTH_CLAIM, principal.auth())
                .issuedAt(now)
                .expiresAt(expiresAt);
        if (principal.tenantId() != null) {
            claims.claim(InternalToken.TENANT_CLAIM, principal.tenantId());
        }
        if (principal.tier() != null) {
            claims.claim(InternalToken.TIER_CLAIM, principal.tier());
        }
        if (principal.role() != null) {
            claims.groups(principal.role());
        }
        if (principal.scopes() != null) {
            claims.claim(InternalToken.SCOPE_CLAIM, principal.scopes());
        }
        return claims.jws().algorithm(SignatureAlgorithm.ES256).sign(key);
    }
}
