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

    /**
     * How long one Redis call may take before Redis counts as down for that request. Generous on
     * purpose: under a burst the gateway's own event loops delay the answer, and a check that times
     * out is waved through (or refused) by {@link #whenRedisDown()}, which should mean "Redis is
     * gone", not "the gateway is busy". Every such request is counted in the metric
     * {@code weft_gateway_rate_limit_unchecked_total}.
     */
    @WithDefault("1s")
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
