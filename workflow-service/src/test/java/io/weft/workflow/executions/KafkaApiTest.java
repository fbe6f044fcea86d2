package io.weft.workflow.executions;

import io.weft.testsupport.InternalTokens;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the API tests over real Kafka share: a tenant of their own with an editor and a viewer, and a
 * tap on the broker, opened once the service's consumers (read model, live events) have their
 * partitions. Subclasses carry {@code @QuarkusTest} and the test resources.
 */
public abstract class KafkaApiTest {
    protected static final Duration WITHIN = Duration.ofSeconds(20);

    protected final UUID tenant = UUID.randomUUID();
    protected final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    protected final String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");
    protected ExecutionsKafka kafka;

    @BeforeEach
    void connect() throws Exception {
        ExecutionsKafka.awaitConsumers();
        kafka = new ExecutionsKafka();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }
}
