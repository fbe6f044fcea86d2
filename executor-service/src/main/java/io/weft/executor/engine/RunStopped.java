package io.weft.executor.engine;

import java.time.Instant;

/**
 * The run stopped at a node boundary because it was cancelled or paused, or because a node waits;
 * finished nodes are kept.
 */
public final class RunStopped extends RuntimeException {
    private final RunControl.Stop stop;
    private final String nextNodeId;
    private final Instant resumeAt;

    RunStopped(RunControl.Stop stop, String nextNodeId) {
        this(stop, nextNodeId, null);
    }

    RunStopped(RunControl.Stop stop, String nextNodeId, Instant resumeAt) {
        super("the execution stopped (" + stop + ") at node " + nextNodeId, null, false, false);
        this.stop = stop;
        this.nextNodeId = nextNodeId;
        this.resumeAt = resumeAt;
    }

    /** For {@link RunControl.Stop#WAIT}: when the execution is to go on. */
    public Instant resumeAt() {
        return resumeAt;
    }

    public RunControl.Stop stop() {
        return stop;
    }

    public String nextNodeId() {
        return nextNodeId;
    }
}
