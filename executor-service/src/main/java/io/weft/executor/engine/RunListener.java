package io.weft.executor.engine;

import io.weft.contracts.plan.PlannedNode;
import java.time.Instant;

/** Told about every node as the runner gets to it, in order, on the runner's thread. */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    default void nodeStarted(PlannedNode node, int attempt) {
    }

    /** An attempt failed and the node will be tried again after {@code delay}. */
    default void nodeRetrying(PlannedNode node, int failedAttempt, NodeFailure failure, java.time.Duration delay) {
    }

    /** After the outcome is decided (including skipped nodes); a checkpoint belongs here. */
    default void nodeFinished(PlannedNode node, NodeOutcome outcome) {
    }

    /** A node waits until {@code resumeAt}: the listener parks the execution (checkpointing the node as waiting). */
    default void nodeWaiting(PlannedNode node, Instant resumeAt) {
    }

    /**
     * A command would stop the run before {@code next} starts: true to stop (the listener has made
     * it durable), false to go on (a pause that was withdrawn in the meantime).
     */
    default boolean stopping(RunControl.Stop stop, PlannedNode next) {
        return true;
    }
}
