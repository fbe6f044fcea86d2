package io.weft.gateway.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the gateway does to every request before routing it: CORS, security headers, body limits. */
@ConfigMapping(prefix = "weft.gateway.edge")
public interface EdgeConfig {

    /** Browser origins allowed to call the API, e.g. {@code https://app.weft.dev}; none by default. */
    Optional<List<String>> corsOrigins();

    /** {@code Strict-Transport-Security} max-age in seconds; 0 leaves the header out (plain-HTTP development). */
    @WithDefault("31536000")
    long hstsMaxAgeSeconds();

    /** Largest request body per tier, in bytes, for requests the gateway forwards. */
    Map<String, Long> maxBodyBytes();

    /** Largest body of a webhook call (no tier is known before workflow-service looks the hook up). */
    @WithDefault("10485760")
    long maxWebhookBodyBytes();
}
