package io.weft.executor.engine;

import io.weft.contracts.plan.PlannedNode;

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
}
