package io.weft.gateway.forwarding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Where the gateway forwards, how long it waits, and the key it signs internal tokens with. */
@ConfigMapping(prefix = "weft.gateway")
public interface ForwardingConfig {

    /** Base URL of each service by name: workflow, compiler, executor, inference, credentials, logs. */
    Map<String, URI> upstreams();

    /** How long to wait for a connection to a service. */
    @WithDefault("2s")
    Duration connectTimeout();

    /**
     * How long an upstream exchange may stay silent (no bytes either way) before the gateway
     * gives up: 504 if the answer has not started, a closed connection otherwise. Streams stay
     * open as long as the service sends something (SSE keep-alives) within this time.
     */
    @WithDefault("30s")
    Duration upstreamTimeout();

    InternalTokenSettings internalToken();

    interface InternalTokenSettings {
        /** PEM file (or classpath resource) of the ES256 private key. */
        String privateKeyLocation();

        /** Lifetime of an internal token; the gateway reuses one for at most half of it. */
        @WithDefault("60s")
        Duration ttl();
    }
}
