package io.weft.gateway.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Sign-in, tokens and password hashing. Keys come from smallrye.jwt.sign.key.location / mp.jwt.verify.publickey.location. */
@ConfigMapping(prefix = "weft.auth")
public interface AuthConfig {

    /** {@code iss} of access tokens; services reject tokens from any other issuer. */
    @WithDefault("https://weft.dev/gateway")
    String issuer();

    /** {@code aud} of access tokens. */
    @WithDefault("weft-api")
    String audience();

    /** Lifetime of an access token; at most 15 minutes. */
    @WithDefault("15m")
    Duration accessTokenTtl();

    /** Lifetime of one refresh token (each refresh issues a new one). */
    @WithDefault("14d")
    Duration refreshTokenTtl();

    PasswordHash passwordHash();

    /** Argon2id cost; the defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane). */
    interface PasswordHash {
        @WithDefault("19456")
        int memoryKib();

        @WithDefault("2")
        int iterations();

        @WithDefault("1")
        int parallelism();
    }
}
