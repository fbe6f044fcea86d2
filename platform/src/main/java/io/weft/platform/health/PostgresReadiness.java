package io.weft.platform.health;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the service's own PostgreSQL database: one {@code SELECT 1} through the reactive
 * pool. Present in services that list {@code weft/postgresql.properties} in quarkus.config.locations.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "weft.readiness.postgresql", stringValue = "true")
public class PostgresReadiness implements AsyncHealthCheck {
    private final Pool pool;
    private final String target;
    private final HealthConfig health;

    PostgresReadiness(Pool pool, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url, HealthConfig health) {
        this.pool = pool;
        this.target = Probes.withoutCredentials(url);
        this.health = health;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.probe("postgresql", target, health.timeout(), () -> pool.query("SELECT 1").execute());
    }
}
