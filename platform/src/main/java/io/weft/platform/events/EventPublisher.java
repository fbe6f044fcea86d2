package io.weft.platform.events;

import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.WeftEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes Weft events on their topics (CloudEvents binary mode, keyed by their partition key)
 * through a plain Kafka producer: acks=all, idempotent, no linger. For the hot paths (execution
 * requests and events), where a messaging channel's per-message machinery costs more CPU than the
 * Kafka client itself (docs/benchmarks.md).
 */
public final class EventPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaCloudEvents records;

    public EventPublisher(String bootstrapServers, String clientId, String source) {
        this.records = new KafkaCloudEvents(new CloudEventCodec(source));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Completes when the broker has the event, exceptionally when it cannot be published. */
    public CompletableFuture<Void> publish(WeftEvent event) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            producer.send(records.toRecord(event), (metadata, failure) -> {
                if (failure == null) {
                    sent.complete(null);
                } else {
                    sent.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
