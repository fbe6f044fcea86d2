package io.weft.platform.health;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Readiness of the Kafka cluster: the broker list answers. Owns a small admin client; close it
 * with the bean that created it.
 */
public final class KafkaProbe implements AutoCloseable {
    public static final String NAME = "kafka";

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    public KafkaProbe(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        int millis = (int) Math.max(500, timeout.toMillis());
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "weft-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000));
    }

    public Uni<HealthCheckResponse> check() {
        return Probes.probe(NAME, bootstrapServers, timeout,
                () -> Uni.createFrom().completionStage(admin.describeCluster().nodes().toCompletionStage())
                        .map(nodes -> {
                            if (nodes.isEmpty()) {
                                throw new IllegalStateException("the cluster reports no brokers");
                            }
                            return nodes;
                        }));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
