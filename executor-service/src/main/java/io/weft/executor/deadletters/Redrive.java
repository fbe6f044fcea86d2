package io.weft.executor.deadletters;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.weft.contracts.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends a dead letter's record again to the topic it came from, with its headers, and waits for the broker. */
@ApplicationScoped
public class Redrive {
    /** The topics this executor consumes: only their records can be redriven. */
    static final Set<String> TOPICS = Set.of(Topics.EXECUTION_REQUESTS, Topics.EXECUTION_CONTROL);

    private final Emitter<byte[]> emitter;

    Redrive(@Channel("redrive") Emitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    void send(String topic, String key, byte[] payload, Map<String, String> headers) throws Exception {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((name, value) -> kafkaHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Void> sent = new CompletableFuture<>();
        emitter.send(Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(key).withHeaders(kafkaHeaders).build())
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    sent.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        sent.get(30, TimeUnit.SECONDS);
    }
}
