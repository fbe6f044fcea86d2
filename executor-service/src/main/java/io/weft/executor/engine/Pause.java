package io.weft.executor.engine;

import io.weft.contracts.events.ErrorKind;
import java.time.Duration;

/** Waiting between attempts; tests substitute one that records the pauses instead of sleeping. */
@FunctionalInterface
public interface Pause {
    Pause SLEEP = duration -> {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeFailure(ErrorKind.CANCELLED, false, "interrupted while waiting to retry");
        }
    };

    void pause(Duration duration);
}
