package io.weft.executor.engine;

/** The run stopped at a node boundary because it was cancelled or paused; finished nodes are kept. */
public final class RunStopped extends RuntimeException {
    private final RunControl.Stop stop;
    private final String nextNodeId;

    RunStopped(RunControl.Stop stop, String nextNodeId) {
        super("the execution was " + (stop == RunControl.Stop.CANCEL ? "cancelled" : "paused") + " before node " + nextNodeId,
                null, false, false);
        this.stop = stop;
        this.nextNodeId = nextNodeId;
    }

    public RunControl.Stop stop() {
        return stop;
    }

    public String nextNodeId() {
        return nextNodeId;
    }
}
