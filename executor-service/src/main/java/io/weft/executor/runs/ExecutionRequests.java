package io.weft.executor.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.contracts.events.WeftEvent;
import io.weft.executor.deadletters.DeadLetters;
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

    private final DeadLetters deadLetters;

    ExecutionRequests(Executions executions, DeadLetters deadLetters) {
        this.executions = executions;
        this.deadLetters = deadLetters;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Incoming("execution-requests")
    @RunOnVirtualThread
    public void onRequest(ConsumerRecord<String, byte[]> record) {
        WeftEvent event;
        try {
            event = events.fromRecord(record);
        } catch (UnreadableEventException e) {
            Unreachable.retry(record, () -> stopping, () -> deadLetters.record(record, DeadLetter.Reason.UNREADABLE_MESSAGE, e.getMessage()));
            return;
        }
        if (event instanceof ExecutionRequested request) {
            Unreachable.retry(record, () -> stopping, () -> run(record, request));
        } else {
            Unreachable.retry(record, () -> stopping, () -> deadLetters.record(record, DeadLetter.Reason.UNKNOWN_EVENT_TYPE,
                    event.getClass().getSimpleName() + " is not an execution request"));
        }
    }

    /**
     * Runs the request; a poison execution, or a run that breaks in a way the executor does not
     * handle, becomes a dead letter with the request record (so that it can be redriven) and the
     * execution fails visibly.
     */
    private void run(ConsumerRecord<String, byte[]> record, ExecutionRequested request) {
        try {
            executions.run(request);
        } catch (PoisonExecutionException e) {
            deadLetters.record(record, request.tenantId(), request.executionId(), DeadLetter.Reason.CRASHED_EXECUTOR_REPEATEDLY,
                    e.getMessage());
        } catch (RuntimeException e) {
            if (Unreachable.is(e) || stopping) {
                throw e;
            }
            LOG.errorf(e, "execution %s broke its run", request.executionId());
            deadLetters.record(record, request.tenantId(), request.executionId(), DeadLetter.Reason.EXECUTION_FAILED_PERMANENTLY,
                    "the run broke unexpectedly: " + e);
            executions.giveUp(request, new ExecutionError(ErrorKind.INTERNAL, "the run broke unexpectedly; see its dead letter",
                    false, null, null));
        }
    }
}
