package io.weft.gateway.ratelimits;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Counts requests against the caller's tenant and the caller in Redis, atomically, with one Lua
 * script (GCRA). What happens when Redis cannot answer is {@link RateLimitConfig#whenRedisDown()}.
 */
@ApplicationScoped
public class RateLimiter {
    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final String SCRIPT = load();
    private static final String SCRIPT_SHA = sha1(SCRIPT);

    private final ReactiveRedisDataSource redis;
    private final RateLimitConfig config;
    private final AtomicLong lastComplaint = new AtomicLong();

    RateLimiter(ReactiveRedisDataSource redis, RateLimitConfig config) {
        this.redis = redis;
        this.config = config;
    }

    public Uni<RateLimitDecision> check(String tenantId, String callerId, String tier) {
        if (!config.enabled()) {
            return Uni.createFrom().item(RateLimitDecision.unlimited());
        }
        RateLimitConfig.TierLimits limits = config.tiers().get(tier == null ? "free" : tier);
        if (limits == null) {
            limits = config.tiers().get("free");
        }
        long window = config.window().toMillis();
        RateLimitDecision.Policy tenantPolicy = new RateLimitDecision.Policy("tenant", limits.tenant(), window);
        RateLimitDecision.Policy callerPolicy = new RateLimitDecision.Policy("caller", limits.caller(), window);
        String[] args = {"2", "weft:rl:t:" + tenantId, "weft:rl:c:" + tenantId + ":" + callerId,
                String.valueOf(limits.tenant()), String.valueOf(window), String.valueOf(limits.caller()), String.valueOf(window)};
        return evaluate(args)
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(reply -> RateLimitDecision.of(reply.get(0).toInteger() == 1, reply.get(1).toLong(),
                        reply.get(2).toLong(), reply.get(3).toLong(),
                        reply.get(4).toInteger() == 1 ? tenantPolicy : callerPolicy, tenantPolicy, callerPolicy))
                .onFailure().recoverWithItem(this::whenRedisDown);
    }

    private Uni<Response> evaluate(String[] keysAndArgs) {
        return redis.execute("EVALSHA", prepend(SCRIPT_SHA, keysAndArgs))
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute("EVAL", prepend(SCRIPT, keysAndArgs)));
    }

    private RateLimitDecision whenRedisDown(Throwable failure) {
        long now = System.currentTimeMillis();
        long last = lastComplaint.get();
        if (now - last > 10_000 && lastComplaint.compareAndSet(last, now)) {
            LOG.warnf("rate limiting cannot reach Redis (%s); requests are %s", failure.toString(),
                    config.whenRedisDown() == RateLimitConfig.WhenRedisDown.allow ? "allowed unlimited" : "refused");
        }
        return config.whenRedisDown() == RateLimitConfig.WhenRedisDown.allow
                ? RateLimitDecision.unlimited() : RateLimitDecision.unavailable();
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
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
