package io.weft.platform.events;

import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.WeftEvent;
import java.time.Duration;
import java.util.HashMap;
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
    /** Below Kafka's default limit of 1 MB per message, with room for the headers. */
    public static final int MAX_EVENT_BYTES = 1_000_000;

    /** The event is larger than a Kafka message may be; sending it again cannot help. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(int bytes) {
            super("the event is " + bytes + " bytes, more than the " + MAX_EVENT_BYTES + " a message may hold");
        }
    }

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaCloudEvents records;

    /** With the Kafka client's own patience (a minute to block, two to deliver): for producers whose callers can wait. */
    public EventPublisher(String bootstrapServers, String clientId, String source, KafkaTopics topics) {
        this(bootstrapServers, clientId, source, topics, null);
    }

    /**
     * @param topics   the names of the contract's topics in this process
     * @param patience at most this long until an event is acknowledged or refused (and a fifth of it,
     *                 at most, blocked in {@link #publish} while the broker is out of reach): for
     *                 producers that answer someone waiting
     */
    public EventPublisher(String bootstrapServers, String clientId, String source, KafkaTopics topics, Duration patience) {
        this.records = new KafkaCloudEvents(new CloudEventCodec(source), topics.prefix());
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0));
        if (patience != null) {
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, patience.toMillis() / 5);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (patience.toMillis() / 2));
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) patience.toMillis());
        }
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Completes when the broker has the event, exceptionally when it cannot be published — with
     * {@link TooLarge} when it could never be (larger than Kafka's default message limit).
     */
    public CompletableFuture<Void> publish(WeftEvent event) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            var record = records.toRecord(event);
            if (record.value().length > MAX_EVENT_BYTES) {
                sent.completeExceptionally(new TooLarge(record.value().length));
                return sent;
            }
            producer.send(record, (metadata, failure) -> {
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
