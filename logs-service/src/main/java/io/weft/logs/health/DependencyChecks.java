package io.weft.logs.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.vertx.mutiny.sqlclient.Pool;
import io.weft.platform.health.HealthConfig;
import io.weft.platform.health.KafkaProbe;
import io.weft.platform.health.PostgresProbe;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: every dependency logs-service uses, each probed for real. */
@ApplicationScoped
public class DependencyChecks {
    private final HealthConfig health;
    private KafkaProbe kafka;

    DependencyChecks(HealthConfig health) {
        this.health = health;
    }

    @Produces
    @Singleton
    @Readiness
    AsyncHealthCheck database(Pool pool, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url) {
        return new PostgresProbe(pool, PostgresProbe.describe(url), health.timeout())::check;
    }

    @Produces
    @Singleton
    @Readiness
    AsyncHealthCheck kafka(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        kafka = new KafkaProbe(bootstrapServers, health.timeout());
        return kafka::check;
    }

    @PreDestroy
    void close() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
