package io.weft.executor.engine;

import io.weft.contracts.events.ConsoleLine;
import java.time.Instant;
import java.util.List;

/**
 * What happened to one node in a run.
 *
 * @param output null when the node was skipped or failed the execution
 * @param error  the failure, also when {@code onError} let the execution go on
 * @param console what the node's scripts wrote to the console, over all its attempts
 * @param resumeAt for {@link Status#WAITING}: when the node's wait ends
 */
public record NodeOutcome(String nodeId, Status status, NodeOutput output, NodeFailure error, long durationNanos,
                          List<ConsoleLine> console, Instant resumeAt) {

    public NodeOutcome {
        console = console == null ? List.of() : List.copyOf(console);
    }

    public NodeOutcome(String nodeId, Status status, NodeOutput output, NodeFailure error, long durationNanos,
                       List<ConsoleLine> console) {
        this(nodeId, status, output, error, durationNanos, console, null);
    }

    public NodeOutcome(String nodeId, Status status, NodeOutput output, NodeFailure error, long durationNanos) {
        this(nodeId, status, output, error, durationNanos, List.of(), null);
    }

    public static NodeOutcome waiting(String nodeId, Instant resumeAt) {
        return new NodeOutcome(nodeId, Status.WAITING, null, null, 0, List.of(), resumeAt);
    }

    public enum Status {
        SUCCEEDED,
        /** No items reached it (e.g. the other branch of an If), or another trigger started the run. */
        SKIPPED,
        /** Disabled: passed its input on unchanged. */
        PASSED_THROUGH,
        /** Failed, and its {@code onError} sent the failure on ({@code continue} or {@code errorOutput}). */
        FAILED_HANDLED,
        /** Failed and failed the execution. */
        FAILED,
        /** Not decided yet: the execution is parked until the node's wait ends, then the node runs again. */
        WAITING
    }
}
