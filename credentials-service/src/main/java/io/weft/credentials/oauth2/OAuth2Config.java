package io.weft.credentials.oauth2;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** OAuth2 flows: {@code weft.credentials.oauth2.*}. */
@ConfigMapping(prefix = "weft.credentials.oauth2")
public interface OAuth2Config {

    /** Where providers send the user back: the gateway's public {@code /oauth2/callback}. */
    @WithDefault("http://127.0.0.1:8080/oauth2/callback")
    URI callbackUrl();

    /** Tokens that expire sooner than this are refreshed before they are handed out. */
    @WithDefault("60s")
    Duration refreshBefore();

    /** How long a started authorization may take. */
    @WithDefault("10m")
    Duration stateLifetime();

}
