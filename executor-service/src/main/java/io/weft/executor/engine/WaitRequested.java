package io.weft.executor.engine;

import java.time.Instant;

/**
 * Thrown by a node that has to wait longer than is worth holding an executor for: the run stops
 * here, the execution is parked until {@code resumeAt}, and the node runs again then (it learns
 * from {@link NodeRun#parkedUntil()} that its wait is over).
 */
public final class WaitRequested extends RuntimeException {
    private final Instant resumeAt;
    private final boolean untilTime;

    /** @param untilTime true when the node waits until a given time, false when it waits for a while */
    public WaitRequested(Instant resumeAt, boolean untilTime) {
        super("wait until " + resumeAt, null, false, false);
        this.resumeAt = resumeAt;
        this.untilTime = untilTime;
    }

    public boolean untilTime() {
        return untilTime;
    }

    public Instant resumeAt() {
        return resumeAt;
    }
}
