package io.weft.platform.health;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Kafka cluster: the broker list answers, through a small admin client of its own.
 * Present in services that list {@code weft/kafka.properties}.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "weft.readiness.kafka", stringValue = "true")
public class KafkaReadiness implements AsyncHealthCheck {
    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    KafkaReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, HealthConfig health) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = health.timeout();
        int millis = (int) Math.max(500, timeout.toMillis());
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "weft-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.probe("kafka", bootstrapServers, timeout,
                () -> Uni.createFrom().completionStage(admin.describeCluster().nodes().toCompletionStage())
                        .map(nodes -> {
                            if (nodes.isEmpty()) {
                                throw new IllegalStateException("the cluster reports no brokers");
                            }
                            return nodes;
                        }));
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
