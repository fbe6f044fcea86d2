package io.weft.platform.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Readiness of Redis: one {@code PING}. */
public final class RedisProbe {
    public static final String NAME = "redis";

    private final ReactiveRedisDataSource redis;
    private final String target;
    private final Duration timeout;

    public RedisProbe(ReactiveRedisDataSource redis, String target, Duration timeout) {
        this.redis = redis;
        this.target = target;
        this.timeout = timeout;
    }

    public Uni<HealthCheckResponse> check() {
        return Probes.probe(NAME, target, timeout, () -> redis.execute("PING"));
    }

    /** {@code redis://user:secret@host:6379/0} → {@code host:6379/0}. */
    public static String describe(String url) {
        return PostgresProbe.describe(url);
    }
}
