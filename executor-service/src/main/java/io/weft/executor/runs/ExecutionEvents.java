package io.weft.executor.runs;

import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes execution and node transitions on {@code weft.execution.events}, keyed by execution id.
 *
 * <p>A plain Kafka producer rather than a messaging channel: this is the executor's hottest path
 * (two events per node), and a profile under load showed the channel's per-message machinery
 * (context propagation, metadata, acknowledgement chains on the producer's network thread) taking
 * more of the executor's CPU than the Kafka client itself.
 */
@ApplicationScoped
public class ExecutionEvents {
    private static final Logger LOG = Logger.getLogger(ExecutionEvents.class);

    private final KafkaProducer<String, byte[]> producer;
    private final CloudEventCodec codec = new CloudEventCodec("/weft/executor-service");

    ExecutionEvents(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "weft-executor-events",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Completes when the broker has the event (acks=all), exceptionally when it cannot be published. */
    public CompletableFuture<Void> publish(ExecutionEvent event) {
        CloudEvent message = codec.encode(event);
        RecordHeaders headers = new RecordHeaders();
        message.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(Topics.EXECUTION_EVENTS, null, message.key(), message.data(), headers),
                    (metadata, failure) -> {
                        if (failure == null) {
                            sent.complete(null);
                        } else {
                            failed(event, failure, sent);
                        }
                    });
        } catch (RuntimeException e) {
            failed(event, e, sent);
        }
        return sent;
    }

    private static void failed(ExecutionEvent event, Throwable failure, CompletableFuture<Void> sent) {
        LOG.errorf("execution event %s of %s was not published: %s", event.getClass().getSimpleName(), event.executionId(),
                failure.getMessage());
        sent.completeExceptionally(failure);
    }
}
