package io.weft.gateway.ratelimits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * Request limits per tier: every forwarded request counts against its tenant and against its
 * caller (user or API key). Defaults per minute: free 600/300, pro 6,000/3,000, enterprise
 * 60,000/30,000.
 */
@ConfigMapping(prefix = "weft.gateway.rate-limits")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    /** The window the limits are counted over. */
    @WithDefault("1m")
    Duration window();

    /** Limits by tier name: free, pro, enterprise. */
    Map<String, TierLimits> tiers();

    /**
     * What to do when Redis cannot be asked: {@code allow} lets requests through unlimited (and
     * logs it), {@code deny} answers 503 until Redis is back.
     */
    @WithDefault("allow")
    WhenRedisDown whenRedisDown();

    /** How long one Redis call may take before Redis counts as down for that request. */
    @WithDefault("250ms")
    Duration redisTimeout();

    interface TierLimits {
        int tenant();

        int caller();
    }

    enum WhenRedisDown {
        allow,
        deny
    }
}
