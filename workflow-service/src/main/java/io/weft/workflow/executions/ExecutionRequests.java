package io.weft.workflow.executions;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.platform.events.EventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Sends execution requests to the executors on {@code weft.execution.requests}, keyed by execution id. */
@ApplicationScoped
public class ExecutionRequests {
    private final EventPublisher publisher;

    ExecutionRequests(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.publisher = new EventPublisher(bootstrapServers, "weft-workflow-requests", "/weft/workflow-service");
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /** Completes when the broker has the request (acks=all): from then on the execution cannot be lost. */
    public Uni<Void> send(ExecutionRequested request) {
        return Uni.createFrom().completionStage(() -> publisher.publish(request));
    }
}
