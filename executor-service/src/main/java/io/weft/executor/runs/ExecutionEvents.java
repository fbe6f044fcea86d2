package io.weft.executor.runs;

import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.jboss.logging.Logger;

/** Publishes execution and node transitions on {@code weft.execution.events}, keyed by execution id. */
@ApplicationScoped
public class ExecutionEvents {
    private static final Logger LOG = Logger.getLogger(ExecutionEvents.class);

    private final Emitter<byte[]> emitter;
    private final CloudEventCodec codec = new CloudEventCodec("/weft/executor-service");

    ExecutionEvents(@Channel("execution-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
                    Emitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** Completes when the broker has the event (acks=all). */
    public CompletableFuture<Void> publish(ExecutionEvent event) {
        CloudEvent message = codec.encode(event);
        RecordHeaders headers = new RecordHeaders();
        message.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Void> sent = new CompletableFuture<>();
        emitter.send(Message.of(message.data())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(message.key()).withHeaders(headers).build())
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    LOG.errorf("execution event %s of %s was not published: %s", event.getClass().getSimpleName(),
                            event.executionId(), failure.getMessage());
                    sent.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return sent;
    }
}
