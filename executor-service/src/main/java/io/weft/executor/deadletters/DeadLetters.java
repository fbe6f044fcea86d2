package io.weft.executor.deadletters;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.json.WeftJson;
import io.weft.platform.events.KafkaCloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Keeps what the executor cannot process: the original record and the reason, stored in the
 * executor's database (once per source offset, so a redelivery does not duplicate it) and
 * announced on {@code weft.execution.dead-letters}; tenants inspect, redrive and discard theirs
 * through {@code /api/executor/dead-letters}.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int MAX_PAYLOAD = 1024 * 1024;
    private static final int PREVIEW = 512;

    private final Pool pool;
    private final Emitter<byte[]> emitter;
    private final Clock clock;
    private final CloudEventCodec codec = new CloudEventCodec("/weft/executor-service");

    DeadLetters(Pool pool, @Channel("dead-letters") Emitter<byte[]> emitter, Clock clock) {
        this.pool = pool;
        this.emitter = emitter;
        this.clock = clock;
    }

    /** Stores and announces a record that could not be processed; waits until it is stored. */
    public void record(ConsumerRecord<String, byte[]> record, DeadLetter.Reason reason, String message) {
        record(record, null, null, reason, message);
    }

    /**
     * Stores and announces an execution that cannot go on (its request record is kept, so that a
     * redrive sends it again); waits until it is stored.
     */
    public void record(ConsumerRecord<String, byte[]> record, String tenantId, String executionId, DeadLetter.Reason reason,
                       String message) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        byte[] kept = value.length > MAX_PAYLOAD ? Arrays.copyOf(value, MAX_PAYLOAD) : value;
        String preview = new String(value, 0, Math.min(value.length, PREVIEW), StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), tenantId, executionId, record.topic(), record.partition(),
                record.offset(), reason, message, preview, 1, clock.instant());
        pool.preparedQuery("""
                        INSERT INTO dead_letters (id, tenant_id, execution_id, source_topic, source_partition, source_offset, reason,
                                                  message, payload, headers)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb)
                        ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING""")
                .execute(Tuple.from(Arrays.asList(letter.eventId(), tenantId, executionId, record.topic(), record.partition(),
                        record.offset(), reason.name(), message, io.vertx.core.buffer.Buffer.buffer(kept),
                        WeftJson.mapper().valueToTree(KafkaCloudEvents.headers(record.headers())).toString())))
                .await().atMost(Duration.ofSeconds(30));
        CloudEvent event = codec.encode(letter);
        RecordHeaders headers = new RecordHeaders();
        event.headers().forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        emitter.send(Message.of(event.data())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).withHeaders(headers).build())
                .withNack(failure -> {
                    LOG.errorf("dead letter for %s-%d@%d is stored but was not announced: %s", record.topic(), record.partition(),
                            record.offset(), failure.getMessage());
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }));
        LOG.warnf("%s-%d@%d is a dead letter (%s): %s", record.topic(), record.partition(), record.offset(), reason, message);
    }
}
