package io.weft.gateway.ratelimits;

import io.vertx.core.http.HttpServerResponse;

/**
 * The answer for one request, and the headers that tell the client about it
 * (draft-ietf-httpapi-ratelimit-headers: {@code RateLimit-Policy}, {@code RateLimit}; plus
 * {@code Retry-After} when refused).
 */
public record RateLimitDecision(State state, long retryAfterMs, long remaining, long resetMs, Policy tightest,
                                Policy tenant, Policy caller) {

    public enum State {
        ALLOWED,
        LIMITED,
        UNLIMITED,
        UNAVAILABLE
    }

    /** @param windowMs the window the quota is counted over */
    public record Policy(String name, int quota, long windowMs) {
        String header() {
            return "\"" + name + "\";q=" + quota + ";w=" + Math.max(1, windowMs / 1000);
        }
    }

    static RateLimitDecision of(boolean allowed, long retryAfterMs, long remaining, long resetMs, Policy tightest,
                                Policy tenant, Policy caller) {
        return new RateLimitDecision(allowed ? State.ALLOWED : State.LIMITED, retryAfterMs, remaining, resetMs, tightest,
                tenant, caller);
    }

    static RateLimitDecision unlimited() {
        return new RateLimitDecision(State.UNLIMITED, 0, 0, 0, null, null, null);
    }

    static RateLimitDecision unavailable() {
        return new RateLimitDecision(State.UNAVAILABLE, 1000, 0, 0, null, null, null);
    }

    public boolean refused() {
        return state == State.LIMITED || state == State.UNAVAILABLE;
    }

    /** Seconds to wait, rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMs + 999) / 1000);
    }

    public void writeHeaders(HttpServerResponse response) {
        if (tightest == null) {
            return;
        }
        response.putHeader("RateLimit-Policy", tenant.header() + ", " + caller.header());
        long resetSeconds = Math.max(0, (resetMs + 999) / 1000);
        response.putHeader("RateLimit", "\"" + tightest.name() + "\";r=" + remaining + ";t=" + resetSeconds);
        if (state == State.LIMITED) {
            response.putHeader("Retry-After", String.valueOf(retryAfterSeconds()));
        }
    }
}
