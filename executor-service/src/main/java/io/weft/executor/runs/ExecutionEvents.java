package io.weft.executor.runs;

import io.weft.contracts.events.ExecutionEvent;
import io.weft.platform.events.EventPublisher;
import io.weft.platform.events.KafkaTopics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes execution and node transitions on {@code weft.execution.events}, keyed by execution id,
 * through a plain Kafka producer ({@link EventPublisher}): the executor's hottest path. Runs publish
 * through {@link EventOutbox}, which deletes what Kafka acknowledged.
 */
@ApplicationScoped
public class ExecutionEvents {
    private static final Logger LOG = Logger.getLogger(ExecutionEvents.class);
    static final String SOURCE = "/weft/executor-service";

    private final EventPublisher publisher;

    ExecutionEvents(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, KafkaTopics topics) {
        this.publisher = new EventPublisher(bootstrapServers, "weft-executor-events", SOURCE, topics);
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /** Completes when the broker has the event (acks=all), exceptionally when it cannot be published. */
    public CompletableFuture<Void> publish(ExecutionEvent event) {
        return publisher.publish(event).whenComplete((sent, failure) -> {
            if (failure != null) {
                LOG.errorf("execution event %s of %s was not published: %s", event.getClass().getSimpleName(), event.executionId(),
                        failure.getMessage());
            }
        });
    }
}
