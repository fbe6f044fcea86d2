package io.weft.gateway.ratelimits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Counts requests against the caller's tenant and the caller in Redis, atomically, with one Lua
 * script (GCRA). What happens when Redis cannot answer is {@link RateLimitConfig#whenRedisDown()}.
 *
 * <p>This sits on every forwarded request, so it talks to the bare Vert.x Redis client and times
 * out with an event-loop timer: the Mutiny wrapper and its scheduler-based timeout cost about as
 * much CPU as the Redis round trip itself (docs/benchmarks.md).
 */
@ApplicationScoped
public class RateLimiter {
    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final String SCRIPT = load();
    private static final String SCRIPT_SHA = sha1(SCRIPT);

    private final Redis redis;
    private final Vertx vertx;
    private final RateLimitConfig config;
    private final AtomicLong lastComplaint = new AtomicLong();
    private final Counter unchecked;

    RateLimiter(Redis redis, Vertx vertx, RateLimitConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        this.unchecked = Counter.builder("weft.gateway.rate.limit.unchecked")
                .description("Requests whose rate limit could not be checked in Redis (allowed or refused by when-redis-down)")
                .register(metrics);
    }

    /** Never fails: when Redis cannot answer in time the decision follows the configured policy. */
    public Future<RateLimitDecision> check(String tenantId, String callerId, String tier) {
        if (!config.enabled()) {
            return Future.succeededFuture(RateLimitDecision.unlimited());
        }
        RateLimitConfig.TierLimits limits = config.tiers().get(tier == null ? "free" : tier);
        if (limits == null) {
            limits = config.tiers().get("free");
        }
        long window = config.window().toMillis();
        RateLimitDecision.Policy tenantPolicy = new RateLimitDecision.Policy("tenant", limits.tenant(), window);
        RateLimitDecision.Policy callerPolicy = new RateLimitDecision.Policy("caller", limits.caller(), window);
        String[] keysAndArgs = {"2", "weft:rl:t:" + tenantId, "weft:rl:c:" + tenantId + ":" + callerId,
                String.valueOf(limits.tenant()), String.valueOf(window), String.valueOf(limits.caller()), String.valueOf(window)};
        return withTimeout(evaluate(keysAndArgs))
                .map(reply -> RateLimitDecision.of(reply.get(0).toInteger() == 1, reply.get(1).toLong(),
                        reply.get(2).toLong(), reply.get(3).toLong(),
                        reply.get(4).toInteger() == 1 ? tenantPolicy : callerPolicy, tenantPolicy, callerPolicy))
                .otherwise(this::whenRedisDown);
    }

    private Future<Response> evaluate(String[] keysAndArgs) {
        return redis.send(command(Command.EVALSHA, SCRIPT_SHA, keysAndArgs))
                .recover(failure -> String.valueOf(failure.getMessage()).startsWith("NOSCRIPT")
                        ? redis.send(command(Command.EVAL, SCRIPT, keysAndArgs))
                        : Future.failedFuture(failure));
    }

    private Future<Response> withTimeout(Future<Response> reply) {
        Promise<Response> bounded = Promise.promise();
        long timeoutMs = Math.max(1, config.redisTimeout().toMillis());
        long timer = vertx.setTimer(timeoutMs, ignored ->
                bounded.tryFail(new TimeoutException("Redis did not answer within " + timeoutMs + " ms")));
        reply.onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                bounded.tryComplete(result.result());
            } else {
                bounded.tryFail(result.cause());
            }
        });
        return bounded.future();
    }

    private static Request command(Command command, String script, String[] keysAndArgs) {
        Request request = Request.cmd(command).arg(script);
        for (String value : keysAndArgs) {
            request.arg(value);
        }
        return request;
    }

    private RateLimitDecision whenRedisDown(Throwable failure) {
        unchecked.increment();
        long now = System.currentTimeMillis();
        long last = lastComplaint.get();
        if (now - last > 10_000 && lastComplaint.compareAndSet(last, now)) {
            LOG.warnf("rate limiting cannot reach Redis (%s); requests are %s", failure.toString(),
                    config.whenRedisDown() == RateLimitConfig.WhenRedisDown.allow ? "allowed unlimited" : "refused");
        }
        return config.whenRedisDown() == RateLimitConfig.WhenRedisDown.allow
                ? RateLimitDecision.unlimited() : RateLimitDecision.unavailable();
    }

    private static String load() {
        try (InputStream in = RateLimiter.class.getResourceAsStream("/ratelimits/gcra.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
