package io.weft.logs.ingest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.weft.logs.partitions.LogPartitions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Writes batches of rows while the next batch is read and redacted, so that the JVM and
 * PostgreSQL work at the same time: at most {@code limit} writes run at once. Each write is tried
 * again until it is stored, and only then is its batch acknowledged; the connector commits a
 * partition's offset only once every earlier batch of it is acknowledged too, so a batch that is
 * still being written is never skipped, whatever finishes first.
 */
final class BatchWrites {
    private static final Logger LOG = Logger.getLogger(BatchWrites.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final Pool pool;
    private final LogPartitions partitions;
    private final int limit;
    private final Deque<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int running;

    BatchWrites(Pool pool, LogPartitions partitions, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one write must be allowed at once, not " + limit);
        }
        this.pool = pool;
        this.partitions = partitions;
        this.limit = limit;
    }

    /**
     * Prepares the batch's rows (tried again until it can: the tenants' tiers may be unknown for a
     * while), waits for a free write, starts it and completes: the caller may read the next batch
     * while this one is written.
     *
     * @param what     what the batch holds, for the log, e.g. {@code "12 audit events"}
     * @param stored   called once the rows are stored
     */
    Uni<Void> submit(Message<?> batch, String what, Uni<? extends LogRows> prepare, Consumer<LogRows> stored) {
        return retried(prepare, what)
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().voidItem().invoke(() -> batch.ack())
                        : slot().invoke(() -> start(batch, what, rows, stored)));
    }

    private void start(Message<?> batch, String what, LogRows rows, Consumer<LogRows> stored) {
        Uni<Void> write = Uni.createFrom().deferred(() -> partitions.ensure(rows.days()).chain(() -> pool.withTransaction(rows::write)));
        retried(write, what).subscribe().with(ignored -> {
            try {
                batch.ack();
                stored.accept(rows);
            } finally {
                release();
            }
        }, failure -> {
            // not reached while the retries are indefinite; unacknowledged, the batch would be delivered again
            release();
            batch.nack(failure);
        });
    }

    private <T> Uni<T> retried(Uni<T> attempt, String what) {
        return attempt
                .onFailure().invoke(failure -> LOG.warnf("cannot store %s, trying again: %s", what, failure.getMessage()))
                .onFailure().retry().withBackOff(FIRST_RETRY, LAST_RETRY).indefinitely();
    }

    /** Completes once a write may start, and counts it as running. */
    private Uni<Void> slot() {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (running >= limit) {
                    waiting.add(emitter);
                    // a waiter that is cancelled (the channel stopping) must not be handed a slot it would never give back
                    emitter.onTermination(() -> {
                        synchronized (this) {
                            waiting.remove(emitter);
                        }
                    });
                    return;
                }
                running++;
            }
            emitter.complete(null);
        });
    }

    /** A write ended: its slot goes to the first waiting batch, if any. */
    private void release() {
        UniEmitter<? super Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }
}
