package io.weft.executor.runs;

import io.weft.contracts.events.ExecutionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * One run's events: numbered in the order they are published and handed to the producer in that
 * order, also when parallel branches publish from several threads; sent without waiting for each
 * acknowledgement, and all waited for before the run counts as done.
 */
final class RunEvents {
    private final ExecutionEvents events;
    private final List<CompletableFuture<Void>> sent = new ArrayList<>();
    private long last;

    /** @param last the sequence number before this run's first event */
    RunEvents(ExecutionEvents events, long last) {
        this.events = events;
        this.last = last;
    }

    synchronized void publish(LongFunction<ExecutionEvent> event) {
        last++;
        sent.add(events.publish(event.apply(last)));
    }

    /** The number the next event will get. */
    synchronized long next() {
        return last + 1;
    }

    void await(Duration timeout) {
        List<CompletableFuture<Void>> waiting;
        synchronized (this) {
            waiting = List.copyOf(sent);
            sent.clear();
        }
        try {
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("execution events were not all published: " + e.getMessage(), e);
        }
    }
}
