package io.weft.testsupport;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import io.weft.platform.security.InternalToken;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Internal tokens as the gateway signs them, with the test key pair, for calling a service directly in tests. */
public final class InternalTokens {
    public static final String PRIVATE_KEY = "keys/test-internal-private.pem";

    private InternalTokens() {
    }

    public static String user(UUID tenant, String subject, String role) {
        return base(tenant, subject).groups(Set.of(role)).claim(InternalToken.AUTH_CLAIM, "user").jws()
                .algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    /** A user's token of a tenant on the given tier (free, pro, enterprise). */
    public static String user(UUID tenant, String subject, String role, String tier) {
        return base(tenant, subject).claim(InternalToken.TIER_CLAIM, tier).groups(Set.of(role)).claim(InternalToken.AUTH_CLAIM, "user")
                .jws().algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    public static String apiKey(UUID tenant, String keyId, String... scopes) {
        return base(tenant, keyId).claim(InternalToken.SCOPE_CLAIM, String.join(" ", scopes))
                .claim(InternalToken.AUTH_CLAIM, "api_key").jws()
                .algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    /** A service token as the gateway issues it: {@code sub=service:<name>}, {@code auth=service}, for a tenant (or none); no tier. */
    public static String service(UUID tenant, String name, String... scopes) {
        return base(tenant, "service:" + name).remove(InternalToken.TIER_CLAIM).claim(InternalToken.SCOPE_CLAIM, String.join(" ", scopes))
                .claim(InternalToken.AUTH_CLAIM, "service").jws().algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    /** Claims of a valid user token, for tests that change one thing and sign it themselves. */
    public static JwtClaimsBuilder base(UUID tenant, String subject) {
        Instant now = Instant.now();
        JwtClaimsBuilder claims = Jwt.issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject(subject)
                .claim(InternalToken.TIER_CLAIM, "pro")
                .issuedAt(now)
                .expiresAt(now.plusSeconds(60));
        return tenant == null ? claims : claims.claim(InternalToken.TENANT_CLAIM, tenant.toString());
    }

    public static PrivateKey privateKey() {
        try {
            return (PrivateKey) KeyUtils.readSigningKey(PRIVATE_KEY, null, SignatureAlgorithm.ES256);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + PRIVATE_KEY, e);
        }
    }
}
