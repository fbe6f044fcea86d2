package io.weft.executor.engine;

import java.time.Instant;

/**
 * Thrown by a node that has to wait longer than is worth holding an executor for: the run stops
 * here, the execution is parked until {@code resumeAt}, and the node runs again then (it learns
 * from {@link NodeRun#parkedUntil()} that its wait is over).
 */
public final class WaitRequested extends RuntimeException {
    private final Instant resumeAt;

    public WaitRequested(Instant resumeAt) {
        super("wait until " + resumeAt, null, false, false);
        this.resumeAt = resumeAt;
    }

    public Instant resumeAt() {
        return resumeAt;
    }
}
