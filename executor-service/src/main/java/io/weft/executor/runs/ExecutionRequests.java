package io.weft.executor.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.contracts.events.WeftEvent;
import io.weft.platform.events.KafkaCloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes execution requests from {@code weft.execution.requests} (consumer group
 * {@code weft-executor}; executors scale by partitions). Each request runs to its end on a worker
 * thread before its offset counts as processed, so a request whose executor dies is delivered
 * again and resumed from its checkpoints.
 */
@ApplicationScoped
public class ExecutionRequests {
    private static final Logger LOG = Logger.getLogger(ExecutionRequests.class);

    private final Executions executions;
    private final KafkaCloudEvents events = new KafkaCloudEvents(new CloudEventCodec("/weft/executor-service"));

    private volatile boolean stopping;

    ExecutionRequests(Executions executions) {
        this.executions = executions;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * While the database (or the broker for events) cannot be reached, the request is tried again
     * with growing pauses instead of being acknowledged: a run is never dropped because a
     * dependency is down. On shutdown the request is left unacknowledged, so it is delivered again.
     */
    private void runUntilStored(ExecutionRequested request) {
        long pauseMs = 500;
        while (true) {
            try {
                executions.run(request);
                return;
            } catch (RuntimeException e) {
                if (!Unreachable.is(e) || stopping) {
                    throw e;
                }
                LOG.warnf("execution %s waits for a dependency (%s); trying again in %d ms", request.executionId(),
                        e.getMessage(), pauseMs);
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMs = Math.min(pauseMs * 2, 30_000);
            }
        }
    }

    @Incoming("execution-requests")
    @Blocking(ordered = false)
    public void onRequest(ConsumerRecord<String, byte[]> record) {
        WeftEvent event;
        try {
            event = events.fromRecord(record);
        } catch (UnreadableEventException e) {
            // The dead-letter store is the next slice; until then the message is logged and skipped.
            LOG.errorf("unreadable message at %s-%d@%d skipped: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (event instanceof ExecutionRequested request) {
            runUntilStored(request);
        } else {
            LOG.warnf("%s on %s is not an execution request; skipped", event.getClass().getSimpleName(), record.topic());
        }
    }
}
