package io.weft.workflow.executions;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.WeftEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.events.EventPublisher;
import io.weft.platform.problems.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What workflow-service sends the executors: run requests on {@code weft.execution.requests} and
 * commands on {@code weft.execution.control}, keyed by execution id. Each completes when the broker
 * has the message (acks=all). A broker that does not acknowledge it within 10 s is a 503 problem —
 * usually nothing was sent, but an acknowledgement lost on its way back cannot be told apart.
 */
@ApplicationScoped
public class Executors {
    private static final Logger LOG = Logger.getLogger(Executors.class);
    /** How long a caller waits for the broker before a 503. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final EventPublisher publisher;
    private final ExecutionStore executions;

    Executors(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ExecutionStore executions) {
        this.publisher = new EventPublisher(bootstrapServers, "weft-workflow-service", "/weft/workflow-service", PATIENCE);
        this.executions = executions;
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /**
     * Queues a run: once the request is on Kafka the run cannot be lost; the read model's
     * {@code queued} row is written after it, and if that write fails the run's own events create
     * the row.
     */
    public Uni<Void> queue(ExecutionRequested request) {
        return send(request)
                .onFailure(EventPublisher.TooLarge.class).transform(tooLarge -> new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                        "the run's input is too large to queue: at most about " + EventPublisher.MAX_EVENT_BYTES / 1000 + " kB"))
                .onFailure(failure -> !(failure instanceof ProblemException)).transform(failure -> new ProblemException(
                        ProblemType.DEPENDENCY_UNAVAILABLE, "the run could not be queued: the message broker did not acknowledge it; try again"))
                .chain(() -> executions.queued(UUID.fromString(request.tenantId()), request.executionId(), request.workflowId(),
                                request.workflowVersion(), request.planHash(), request.trigger(), request.requestedBy(),
                                request.retryOf(), ExecutionStore.utc(request.occurredAt()))
                        .onFailure().invoke(failure -> LOG.warnf("execution %s was queued but not recorded yet: %s",
                                request.executionId(), failure.getMessage()))
                        .onFailure().recoverWithNull())
                .replaceWithVoid();
    }

    /** Off the event loop: sending may wait for the broker's metadata (a fifth of the patience at most). */
    private Uni<Void> send(WeftEvent event) {
        return Uni.createFrom().completionStage(() -> publisher.publish(event)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Sends a command: the executors act on it from then on, wherever the execution is. */
    public Uni<Void> command(ExecutionControl command) {
        return send(command)
                .onFailure().transform(failure -> new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "the command could not be sent (the message broker did not take it); try again"));
    }
}
