package io.weft.executor.runs;

import io.weft.contracts.events.ExecutionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * One run's events: numbered in the order they are made, handed to the producer in that order
 * (callers hold the run's journal lock from numbering to sending), sent without waiting for each
 * acknowledgement, and all waited for before the run counts as done. An event that was committed
 * to the outbox and could not be published is not lost: the outbox's relay publishes it later.
 */
final class RunEvents {
    private static final Logger LOG = Logger.getLogger(RunEvents.class);

    private final EventOutbox outbox;
    private final List<CompletableFuture<Void>> sent = new ArrayList<>();
    private long last;

    /** @param last the sequence number before this run's first event */
    RunEvents(EventOutbox outbox, long last) {
        this.outbox = outbox;
        this.last = last;
    }

    /** Numbers an event. */
    synchronized ExecutionEvent number(LongFunction<ExecutionEvent> event) {
        last++;
        return event.apply(last);
    }

    /** The number the next event will get. */
    synchronized long next() {
        return last + 1;
    }

    /** Sends events committed to the outbox, in the order given. */
    synchronized void send(List<ExecutionEvent> events) {
        for (ExecutionEvent event : events) {
            sent.add(outbox.publish(event));
        }
    }

    /** Sends an event that is not stored (a webhook's answer). */
    synchronized void sendUnstored(ExecutionEvent event) {
        sent.add(outbox.publishUnstored(event));
    }

    /** Waits until Kafka has every event sent so far; one it refused stays in the outbox for the relay. */
    void await(Duration timeout) {
        List<CompletableFuture<Void>> waiting;
        synchronized (this) {
            waiting = List.copyOf(sent);
            sent.clear();
        }
        try {
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("execution events were not all published (%s); the outbox relay publishes them", e.getMessage());
        }
    }
}
