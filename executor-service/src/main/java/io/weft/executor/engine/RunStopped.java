package io.weft.executor.engine;

import java.time.Instant;

/**
 * The run stopped at a node boundary because it was cancelled or paused, or because a node waits;
 * finished nodes are kept.
 */
public final class RunStopped extends RuntimeException {
    private final RunControl.Stop stop;
    private final String nextNodeId;
    private final WaitRequested wait;

    RunStopped(RunControl.Stop stop, String nextNodeId) {
        this(stop, nextNodeId, null);
    }

    /** The run parks at {@code nextNodeId}, the first node whose wait ends. */
    RunStopped(String nextNodeId, WaitRequested wait) {
        this(RunControl.Stop.WAIT, nextNodeId, wait);
    }

    private RunStopped(RunControl.Stop stop, String nextNodeId, WaitRequested wait) {
        super("the execution stopped (" + stop + ") at node " + nextNodeId, null, false, false);
        this.stop = stop;
        this.nextNodeId = nextNodeId;
        this.wait = wait;
    }

    /** For {@link RunControl.Stop#WAIT}: when the execution is to go on. */
    public Instant resumeAt() {
        return wait == null ? null : wait.resumeAt();
    }

    /** For {@link RunControl.Stop#WAIT}: whether the node waits until a time rather than for a while. */
    public boolean untilTime() {
        return wait != null && wait.untilTime();
    }

    public RunControl.Stop stop() {
        return stop;
    }

    public String nextNodeId() {
        return nextNodeId;
    }
}
