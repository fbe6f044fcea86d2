package io.weft.executor.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.executor.deadletters.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every executor, once a second, publishes execution events left in the outbox past its grace
 * period ({@link EventOutbox#relay}), and looks for executions that no request will bring back: parked
 * ones whose wait is over, and running ones whose lease ran out (their executor died or stalled,
 * and the request's redelivery, if any, came while the lease still looked live). It claims a few
 * at a time ({@code FOR UPDATE SKIP LOCKED}, so executors never claim the same one) and runs them
 * from their checkpoints, like a redelivered request.
 */
@ApplicationScoped
public class Sweeper {
    private static final Logger LOG = Logger.getLogger(Sweeper.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;
    private final Executions executions;
    private final EventOutbox outbox;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Duration leaseFor;
    private final Duration every;
    private final Semaphore capacity;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean stopping;
    private Thread loop;

    Sweeper(Pool pool, Executions executions, EventOutbox outbox, DeadLetters deadLetters, Clock clock,
            @ConfigProperty(name = "weft.executor.lease", defaultValue = "30s") Duration leaseFor,
            @ConfigProperty(name = "weft.executor.sweep-every", defaultValue = "1s") Duration every,
            @ConfigProperty(name = "weft.executor.sweep-concurrency", defaultValue = "16") int concurrency) {
        this.pool = pool;
        this.executions = executions;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.leaseFor = leaseFor;
        this.every = every;
        this.capacity = new Semaphore(concurrency);
    }

    void start(@Observes StartupEvent event) {
        loop = Thread.ofVirtual().name("weft-sweeper").start(this::sweepUntilStopped);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (loop != null) {
            loop.interrupt();
        }
        runs.shutdown();
    }

    private void sweepUntilStopped() {
        while (!stopping) {
            try {
                Thread.sleep(every);
                relay();
                sweep();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.warnf("the sweep failed (%s); trying again in %s", e.getMessage(), every);
                }
            }
        }
    }

    private void relay() {
        try {
            outbox.relay();
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.warnf("the outbox relay failed (%s); trying again in %s", e.getMessage(), every);
            }
        }
    }

    /** Claims what is due, as much as there is room for, and runs each on its own thread. */
    void sweep() {
        int room = capacity.availablePermits();
        if (room == 0) {
            return;
        }
        for (ExecutionRequested request : claim(room)) {
            capacity.acquireUninterruptibly();
            runs.execute(() -> {
                try {
                    run(request);
                } finally {
                    capacity.release();
                }
            });
        }
    }

    private void run(ExecutionRequested request) {
        try {
            executions.run(request);
        } catch (PoisonExecutionException e) {
            deadLetters.record(request, DeadLetter.Reason.CRASHED_EXECUTOR_REPEATEDLY, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "execution %s broke its run", request.executionId());
            if (!Unreachable.is(e)) {
                deadLetters.record(request, DeadLetter.Reason.EXECUTION_FAILED_PERMANENTLY, "the run broke unexpectedly: " + e);
                executions.giveUp(request, new ExecutionError(ErrorKind.INTERNAL, "the run broke unexpectedly; see its dead letter",
                        false, null, null));
            }
        }
    }

    /** Takes the lease on up to {@code limit} due executions; a running one whose lease ran out counts as one more takeover. */
    List<ExecutionRequested> claim(int limit) {
        List<ExecutionRequested> claimed = new ArrayList<>();
        pool.preparedQuery("""
                        WITH due AS (
                            SELECT id FROM executions
                            WHERE (status = 'waiting' AND resume_at <= now()) OR (status = 'running' AND lease_until < now())
                            ORDER BY coalesce(resume_at, lease_until)
                            LIMIT $3 FOR UPDATE SKIP LOCKED)
                        UPDATE executions e SET takeovers = e.takeovers
                                   + CASE WHEN e.status = 'running' AND e.lease_owner IS NOT NULL AND e.lease_owner <> $1 THEN 1 ELSE 0 END,
                               status = 'running', resume_at = NULL, lease_owner = $1,
                               lease_until = now() + $2 * interval '1 millisecond'
                        FROM due WHERE e.id = due.id
                        RETURNING\s""" + StoredRequests.COLUMNS)
                .execute(Tuple.of(executions.executorId(), leaseFor.toMillis(), limit))
                .await().atMost(STORE_TIMEOUT)
                .forEach(row -> claimed.add(StoredRequests.from(row, clock.instant())));
        if (!claimed.isEmpty()) {
            LOG.infof("took %d execution(s) whose wait ended or whose executor stopped", claimed.size());
        }
        return claimed;
    }
}
