package io.weft.executor.deadletters;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.weft.contracts.events.Topics;
import io.weft.platform.events.KafkaTopics;
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
    private final Emitter<byte[]> emitter;
    /** The topics this executor consumes: only their records can be redriven. */
    private final Set<String> redrivable;

    Redrive(@Channel("redrive") Emitter<byte[]> emitter, KafkaTopics topics) {
        this.emitter = emitter;
        this.redrivable = Set.of(topics.name(Topics.EXECUTION_REQUESTS), topics.name(Topics.EXECUTION_CONTROL));
    }

    boolean canSendTo(String topic) {
        return redrivable.contains(topic);
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
