package io.weft.platform.health;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of Redis: one {@code PING}. Present in services that list {@code weft/redis.properties}. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "weft.readiness.redis", stringValue = "true")
public class RedisReadiness implements AsyncHealthCheck {
    private final ReactiveRedisDataSource redis;
    private final String target;
    private final HealthConfig health;

    RedisReadiness(ReactiveRedisDataSource redis, @ConfigProperty(name = "quarkus.redis.hosts") String hosts, HealthConfig health) {
        this.redis = redis;
        this.target = Probes.withoutCredentials(hosts);
        this.health = health;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.probe("redis", target, health.timeout(), () -> redis.execute("PING"));
    }
}
