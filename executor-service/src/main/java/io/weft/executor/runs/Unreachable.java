package io.weft.executor.runs;

import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Whether a failure means "a dependency cannot be reached right now" (worth waiting for) rather than a bug. */
final class Unreachable {
    private static final Logger LOG = Logger.getLogger(Unreachable.class);

    private Unreachable() {
    }

    /**
     * While the database (or the broker for events) cannot be reached, the work on a record is
     * tried again with growing pauses instead of being acknowledged: a run, a command or a dead
     * letter is never dropped because a dependency is down. On shutdown the record is left
     * unacknowledged, so it is delivered again.
     */
    static void retry(ConsumerRecord<String, byte[]> record, BooleanSupplier stopping, Runnable work) {
        long pauseMs = 500;
        while (true) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                if (!is(e) || stopping.getAsBoolean()) {
                    throw e;
                }
                LOG.warnf("%s-%d@%d waits for a dependency (%s); trying again in %d ms", record.topic(), record.partition(),
                        record.offset(), e.getMessage(), pauseMs);
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMs = Math.min(pauseMs * 2, 30_000);
            }
        }
    }

    static boolean is(Throwable failure) {
        for (Throwable at = failure; at != null; at = at.getCause()) {
            if (at instanceof ConnectException || at instanceof TimeoutException || at instanceof io.smallrye.mutiny.TimeoutException
                    || at instanceof io.netty.channel.ConnectTimeoutException
                    || at instanceof io.vertx.core.VertxException && String.valueOf(at.getMessage()).toLowerCase().contains("connection")
                    || at.getClass().getSimpleName().equals("ClosedConnectionException")) {
                return true;
            }
            if (at.getCause() == at) {
                break;
            }
        }
        return false;
    }
}
