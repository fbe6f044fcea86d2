package io.weft.executor.retention;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Prunes the executor's own data once it is older than {@code weft.executor.retention.max-age}
 * (default 400 days, longer than any tier keeps executions in workflow-service, so a retry always
 * finds what it copies): finished executions with their checkpoints and commands, and payloads no
 * node has stored since. 200 rows per statement, so no lock is held long; executions that are
 * running, waiting or paused are never pruned. Per-tier retention here is the next step (a
 * {@code retainUntil} carried by the run request).
 */
@ApplicationScoped
public class ExecutorRetention {
    private static final Logger LOG = Logger.getLogger(ExecutorRetention.class);
    static final int BATCH = 200;
    private static final int BATCHES_PER_ROUND = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final Duration maxAge;
    private final Duration every;
    private volatile boolean stopping;
    private Thread loop;

    ExecutorRetention(Pool pool, @ConfigProperty(name = "weft.executor.retention.max-age", defaultValue = "P400D") Duration maxAge,
                      @ConfigProperty(name = "weft.executor.retention.every", defaultValue = "10m") Duration every) {
        this.pool = pool;
        this.maxAge = maxAge;
        this.every = every;
    }

    void start(@Observes StartupEvent event) {
        if (!every.isZero()) {
            loop = Thread.ofVirtual().name("weft-executor-retention").start(this::pruneUntilStopped);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (loop != null) {
            loop.interrupt();
        }
    }

    private void pruneUntilStopped() {
        while (!stopping) {
            try {
                Thread.sleep(every);
                prune();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.warnf("executor data could not be pruned this time: %s", e.getMessage());
                }
            }
        }
    }

    /** One round; answers how many executions and payloads went. */
    public long prune() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(maxAge);
        long executions = batches("""
                WITH gone AS (
                         DELETE FROM executions WHERE id IN (
                             SELECT id FROM executions WHERE status IN ('succeeded', 'failed', 'cancelled') AND finished_at < $1
                             LIMIT %d FOR UPDATE SKIP LOCKED)
                         RETURNING id),
                     commands AS (DELETE FROM execution_commands WHERE execution_id IN (SELECT id FROM gone))
                SELECT count(*) AS n FROM gone""".formatted(BATCH), before, true);
        long payloads = batches("""
                DELETE FROM payloads WHERE (tenant_id, id) IN (
                    SELECT tenant_id, id FROM payloads WHERE stored_at < $1 LIMIT %d FOR UPDATE SKIP LOCKED)""".formatted(BATCH),
                before, false);
        if (executions + payloads > 0) {
            LOG.infof("retention pruned %d finished executions and %d payloads older than %s", executions, payloads, maxAge);
        }
        return executions + payloads;
    }

    /** Runs a batch statement until it deletes fewer than a batch (or the round's budget is spent). */
    private long batches(String statement, OffsetDateTime before, boolean countColumn) {
        long total = 0;
        for (int i = 0; i < BATCHES_PER_ROUND; i++) {
            var rows = pool.preparedQuery(statement).execute(Tuple.of(before)).await().atMost(TIMEOUT);
            long deleted = countColumn ? rows.iterator().next().getLong("n") : rows.rowCount();
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        return total;
    }
}
