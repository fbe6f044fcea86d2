package io.weft.compiler.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.weft.platform.health.HealthConfig;
import io.weft.platform.health.RedisProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: every dependency compiler-service uses, each probed for real. */
@ApplicationScoped
public class DependencyChecks {
    private final HealthConfig health;

    DependencyChecks(HealthConfig health) {
        this.health = health;
    }

    @Produces
    @Singleton
    @Readiness
    AsyncHealthCheck redis(ReactiveRedisDataSource redis, @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
        return new RedisProbe(redis, RedisProbe.describe(hosts), health.timeout())::check;
    }
}
