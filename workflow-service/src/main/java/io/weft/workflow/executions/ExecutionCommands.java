package io.weft.workflow.executions;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.ExecutionControl;
import io.weft.platform.events.EventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Sends stop, pause and resume to the executors on {@code weft.execution.control}, keyed by execution id. */
@ApplicationScoped
public class ExecutionCommands {
    private final EventPublisher publisher;

    ExecutionCommands(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.publisher = new EventPublisher(bootstrapServers, "weft-workflow-control", "/weft/workflow-service");
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /** Completes when the broker has the command: the executors act on it from then on, wherever the execution is. */
    public Uni<Void> send(ExecutionControl command) {
        return Uni.createFrom().completionStage(() -> publisher.publish(command));
    }
}
