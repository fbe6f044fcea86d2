package io.weft.executor.retention;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Prunes the executor's own data: finished executions with their checkpoints and commands once they
 * are older than their tier keeps them (the run request's {@code retainDays}, as workflow-service keeps
 * its executions list), or than {@code weft.executor.retention.max-age} (default 400 days) for runs
 * requested without one; payloads once no execution refers to them (those stored before references
 * were kept: once no node has stored them for that age); handled dead letters of that age; agents'
 * conversations idle past their memory's retention, and tenants' token meters of months over a year ago.
 * 200 rows per statement (payloads: windows of 1,000), so no lock is held long; executions that are
 * running, waiting or paused, open dead letters and the executions they would redrive are never
 * pruned. After a tier upgrade, executions finished before it keep their old tier's age here (the
 * request carried it).
 */
@ApplicationScoped
public class ExecutorRetention {
    private static final Logger LOG = Logger.getLogger(ExecutorRetention.class);
    static final int BATCH = 200;
    private static final int BATCHES_PER_ROUND = 50;
    private static final int PAYLOAD_WINDOW = 1000;
    private static final int PAYLOAD_WINDOWS_PER_ROUND = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final Duration maxAge;
    private final Duration every;
    private volatile boolean stopping;
    /** Where the next round's walk over the payloads starts: after this (tenant, id). */
    private volatile String[] payloadCursor = {"", ""};
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

    /** One round; answers how many executions, payloads and dead letters went. */
    public long prune() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime before = now.minus(maxAge);
        long byTier = batches(pruneExecutions("prune_after < $1"), now, true);
        long byDefault = batches(pruneExecutions("retain_days IS NULL AND finished_at < $1"), before, true);
        long payloads = prunePayloads(before);
        long deadLetters = batches("""
                DELETE FROM dead_letters WHERE id IN (
                    SELECT id FROM dead_letters WHERE status <> 'open' AND handled_at < $1 LIMIT %d FOR UPDATE SKIP LOCKED)"""
                .formatted(BATCH), before, false);
        long conversations = batches("""
                DELETE FROM conversation_messages WHERE ctid IN (
                    SELECT ctid FROM conversation_messages WHERE expires_at < $1 LIMIT %d FOR UPDATE SKIP LOCKED)"""
                .formatted(BATCH), now, false);
        // A month's token meter is kept for a year after it, for support questions about a QUOTA failure.
        long meters = batches("""
                DELETE FROM llm_token_meter WHERE ctid IN (
                    SELECT ctid FROM llm_token_meter WHERE month < ($1::timestamptz - interval '13 months')::date LIMIT %d FOR UPDATE SKIP LOCKED)"""
                .formatted(BATCH), now, false);
        long total = byTier + byDefault + payloads + deadLetters + conversations + meters;
        if (total > 0) {
            LOG.infof("retention pruned %d finished executions past their tier's age, %d past %s, %d payloads, %d handled"
                    + " dead letters, %d messages of idle agent conversations and %d token meters of past months", byTier, byDefault,
                    maxAge, payloads, deadLetters, conversations, meters);
        }
        return total;
    }

    /** Finished executions matching {@code condition} (on cutoff $1), with their checkpoints (by cascade) and commands. */
    private static String pruneExecutions(String condition) {
        return """
                WITH gone AS (
                         DELETE FROM executions WHERE id IN (
                             SELECT id FROM executions x WHERE status IN ('succeeded', 'failed', 'cancelled') AND %s
                               AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.execution_id = x.id AND d.status = 'open')
                             LIMIT %d FOR UPDATE SKIP LOCKED)
                         RETURNING id),
                     commands AS (DELETE FROM execution_commands WHERE execution_id IN (SELECT id FROM gone))
                SELECT count(*) AS n FROM gone""".formatted(condition, BATCH);
    }

    /**
     * Deletes payloads no execution refers to any more (and, of those stored before references were
     * kept, the ones not stored for the maximum age), walking the table in key order a window of
     * {@value #PAYLOAD_WINDOW} at a time, on from where the last round stopped. A payload stored
     * within the last hour is spared: storing it again moves its time on under a row lock, so it
     * cannot go between its store and its reference.
     */
    private long prunePayloads(OffsetDateTime before) {
        long total = 0;
        String afterTenant = payloadCursor[0];
        String afterId = payloadCursor[1];
        for (int i = 0; i < PAYLOAD_WINDOWS_PER_ROUND; i++) {
            Row row = pool.preparedQuery("""
                            WITH candidates AS (
                                     SELECT tenant_id, id FROM payloads WHERE (tenant_id, id) > ($2, $3)
                                     ORDER BY tenant_id, id LIMIT %d),
                                 gone AS (
                                     DELETE FROM payloads p USING candidates c WHERE p.tenant_id = c.tenant_id AND p.id = c.id
                                       AND CASE WHEN p.referenced
                                                THEN p.stored_at < now() - interval '1 hour' AND NOT EXISTS (
                                                         SELECT 1 FROM execution_payloads r
                                                         WHERE r.tenant_id = p.tenant_id AND r.payload_id = p.id)
                                                ELSE p.stored_at < $1 END
                                     RETURNING 1),
                                 last AS (SELECT tenant_id, id FROM candidates ORDER BY tenant_id DESC, id DESC LIMIT 1)
                            SELECT (SELECT count(*) FROM gone) AS n, (SELECT tenant_id FROM last) AS tenant_id,
                                   (SELECT id FROM last) AS id""".formatted(PAYLOAD_WINDOW))
                    .execute(Tuple.of(before, afterTenant, afterId)).await().atMost(TIMEOUT).iterator().next();
            total += row.getLong("n");
            if (row.getString("tenant_id") == null) {
                afterTenant = "";
                afterId = "";
                break;
            }
            afterTenant = row.getString("tenant_id");
            afterId = row.getString("id");
        }
        // a table larger than a round's windows is walked on from here next round, so that its end is reached too
        payloadCursor = new String[] {afterTenant, afterId};
        return total;
    }

    /** Runs a batch statement until it deletes fewer than a batch (or the round's budget is spent). */
    private long batches(String statement, OffsetDateTime cutoff, boolean countColumn) {
        long total = 0;
        for (int i = 0; i < BATCHES_PER_ROUND; i++) {
            var rows = pool.preparedQuery(statement).execute(Tuple.of(cutoff)).await().atMost(TIMEOUT);
            long deleted = countColumn ? rows.iterator().next().getLong("n") : rows.rowCount();
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        return total;
    }
}
