package io.weft.workflow.webhooks;

import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.platform.events.KafkaCloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The answers that synchronous webhook calls wait for. Every workflow-service instance reads the
 * execution events on its own (a consumer group per instance, newest records only), because the
 * instance holding a call is not the one whose read-model partitions carry its execution. Only the
 * records of executions awaited here are decoded.
 */
@ApplicationScoped
public class WebhookAnswers {
    private static final Logger LOG = Logger.getLogger(WebhookAnswers.class);

    private final Map<String, CompletableFuture<ExecutionEvent>> awaited = new ConcurrentHashMap<>();
    private final KafkaCloudEvents records = new KafkaCloudEvents(new CloudEventCodec("/weft/workflow-service"));

    /**
     * Registers the call before its request is sent (the answer may come back quickly); completes
     * with the execution's {@link ExecutionEvent.WebhookResponded} or its terminal event, whichever
     * comes first. The caller must {@link #forget} it when done.
     */
    public CompletableFuture<ExecutionEvent> await(String executionId) {
        return awaited.computeIfAbsent(executionId, id -> new CompletableFuture<>());
    }

    public void forget(String executionId) {
        awaited.remove(executionId);
    }

    @Incoming("webhook-answers")
    public void onEvents(ConsumerRecords<String, byte[]> batch) {
        if (awaited.isEmpty()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> record : batch) {
            CompletableFuture<ExecutionEvent> answer = record.key() == null ? null : awaited.get(record.key());
            if (answer == null) {
                continue;
            }
            try {
                if (records.fromRecord(record) instanceof ExecutionEvent event
                        && (event instanceof ExecutionEvent.WebhookResponded || event.terminal())) {
                    answer.complete(event);
                }
            } catch (UnreadableEventException e) {
                LOG.warnf("skipping an unreadable event of awaited execution %s: %s", record.key(), e.getMessage());
            }
        }
    }
}
