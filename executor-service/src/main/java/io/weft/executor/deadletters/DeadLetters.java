package io.weft.executor.deadletters;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.Topics;
import io.weft.platform.events.KafkaTopics;
import io.weft.contracts.json.WeftJson;
import io.weft.platform.events.KafkaCloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Keeps what the executor cannot process: the original record and the reason, stored in the
 * executor's database (once per source record — offset and bytes, so that a redelivery does not
 * duplicate it and a recreated topic's new record at an old offset is not lost) and
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
    private final String requestsTopic;

    DeadLetters(Pool pool, @Channel("dead-letters") Emitter<byte[]> emitter, Clock clock, KafkaTopics topics) {
        this.requestsTopic = topics.name(Topics.EXECUTION_REQUESTS);
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
        store(new Source(record.topic(), record.partition(), record.offset(), record.value(), KafkaCloudEvents.headers(record.headers())),
                tenantId, executionId, reason, message);
    }

    /**
     * Stores and announces an execution that no record brought (the sweeper found it); its
     * request is rebuilt as the record a redrive sends. Such letters have partition -1 and a
     * negative offset of their own.
     */
    public void record(ExecutionRequested request, DeadLetter.Reason reason, String message) {
        CloudEvent event = codec.encode(request);
        long offset = -1 - (UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
        store(new Source(requestsTopic, -1, offset, event.data(), event.headers()), request.tenantId(),
                request.executionId(), reason, message);
    }

    private record Source(String topic, int partition, long offset, byte[] value, Map<String, String> headers) {
    }

    private void store(Source source, String tenantId, String executionId, DeadLetter.Reason reason, String message) {
        byte[] value = source.value() == null ? new byte[0] : source.value();
        byte[] kept = value.length > MAX_PAYLOAD ? Arrays.copyOf(value, MAX_PAYLOAD) : value;
        String preview = new String(value, 0, Math.min(value.length, PREVIEW), StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), tenantId, executionId, source.topic(), source.partition(),
                source.offset(), reason, message, preview, 1, clock.instant());
        pool.preparedQuery("""
                        INSERT INTO dead_letters (id, tenant_id, execution_id, source_topic, source_partition, source_offset, reason,
                                                  message, payload, headers)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb)
                        ON CONFLICT (source_topic, source_partition, source_offset, payload_sha256) DO NOTHING""")
                .execute(Tuple.from(Arrays.asList(letter.eventId(), tenantId, executionId, source.topic(), source.partition(),
                        source.offset(), reason.name(), message, io.vertx.core.buffer.Buffer.buffer(kept),
                        WeftJson.mapper().valueToTree(source.headers()).toString())))
                .await().atMost(Duration.ofSeconds(30));
        String where = source.topic() + "-" + source.partition() + "@" + source.offset();
        CloudEvent event = codec.encode(letter);
        RecordHeaders headers = new RecordHeaders();
        event.headers().forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        emitter.send(Message.of(event.data())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).withHeaders(headers).build())
                .withNack(failure -> {
                    LOG.errorf("dead letter for %s is stored but was not announced: %s", where, failure.getMessage());
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }));
        LOG.warnf("%s is a dead letter (%s): %s", where, reason, message);
    }
}
