package io.weft.workflow.retention;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.workflow.tiers.TierLimits;
import io.weft.workflow.tiers.Tiers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Prunes finished executions by their tenant's tier: those older than its maximum age, and those
 * beyond its maximum count (the newest are kept). An execution goes with its nodes and stored events
 * (cascade); tombstones of deleted executions go the same way. Executions still pending, queued,
 * running, waiting or paused are never pruned.
 *
 * <p>Each statement deletes at most {@value #BATCH} executions, locking only those rows; replicas
 * pruning at the same time skip each other's rows. A tenant gets at most {@value #BATCHES_PER_RUN}
 * batches per run, so that one large tenant cannot hold the others back; the next run goes on.
 */
@ApplicationScoped
public class ExecutionRetention {
    private static final Logger LOG = Logger.getLogger(ExecutionRetention.class);
    static final int BATCH = 200;
    static final int BATCHES_PER_RUN = 50;
    private static final String FINISHED = "(status IN ('succeeded', 'failed', 'cancelled') OR deleted_at IS NOT NULL)";

    private final Pool pool;
    private final Tiers tiers;
    private final Clock clock;

    ExecutionRetention(Pool pool, Tiers tiers, Clock clock) {
        this.pool = pool;
        this.tiers = tiers;
        this.clock = clock;
    }

    @Scheduled(every = "${weft.workflow.retention.every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> run() {
        return pruneAll()
                .invoke(pruned -> {
                    if (pruned > 0) {
                        LOG.infof("retention pruned %d executions", pruned);
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("retention could not prune this time: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Prunes every tenant that has executions; answers how many executions went. */
    public Uni<Long> pruneAll() {
        return tenants().chain(tenants -> Multi.createFrom().iterable(tenants)
                .onItem().transformToUniAndConcatenate(tenant -> tiers.limitsOf(tenant)
                        .chain(limits -> prune(tenant, limits.retention())))
                .collect().asList().map(pruned -> pruned.stream().mapToLong(Long::longValue).sum()));
    }

    /** The tenants with executions, read by skipping along the primary key (one index probe per tenant). */
    private Uni<List<UUID>> tenants() {
        return pool.query("""
                        WITH RECURSIVE t AS (
                            (SELECT tenant_id FROM executions ORDER BY tenant_id LIMIT 1)
                            UNION ALL
                            SELECT (SELECT e.tenant_id FROM executions e WHERE e.tenant_id > t.tenant_id ORDER BY e.tenant_id LIMIT 1)
                            FROM t WHERE t.tenant_id IS NOT NULL)
                        SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL""")
                .execute()
                .map(rows -> {
                    List<UUID> tenants = new ArrayList<>();
                    rows.forEach(row -> tenants.add(row.getUUID("tenant_id")));
                    return tenants;
                });
    }

    /** Prunes one tenant's finished executions beyond its retention; answers how many went. */
    public Uni<Long> prune(UUID tenant, TierLimits.Retention retention) {
        OffsetDateTime tooOld = OffsetDateTime.ofInstant(clock.instant().minus(retention.maxAge()), ZoneOffset.UTC);
        return firstBeyondCount(tenant, retention.maxExecutions()).chain(beyondCount -> {
            // Whichever bound reaches further back in time prunes the more; it covers the other.
            boolean byCount = beyondCount != null && !beyondCount.getOffsetDateTime("created_at").isBefore(tooOld);
            String older = byCount ? "(created_at, id) <= ($2, $3)" : "created_at < $2";
            Tuple parameters = byCount ? Tuple.of(tenant, beyondCount.getOffsetDateTime("created_at"), beyondCount.getString("id"))
                    : Tuple.of(tenant, tooOld);
            return prune("DELETE FROM executions WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM executions WHERE tenant_id = $1"
                    + " AND " + FINISHED + " AND " + older + " LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED)", parameters, 0, 0L);
        });
    }

    /** The newest execution beyond the newest {@code max} (by creation), or null when there are no more than that. */
    private Uni<Row> firstBeyondCount(UUID tenant, long max) {
        return pool.preparedQuery("SELECT created_at, id FROM executions WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC"
                        + " OFFSET $2 LIMIT 1")
                .execute(Tuple.of(tenant, max))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
    }

    private Uni<Long> prune(String batch, Tuple parameters, int batches, long pruned) {
        if (batches == BATCHES_PER_RUN) {
            return Uni.createFrom().item(pruned);
        }
        return pool.preparedQuery(batch).execute(parameters)
                .chain(rows -> rows.rowCount() < BATCH ? Uni.createFrom().item(pruned + rows.rowCount())
                        : prune(batch, parameters, batches + 1, pruned + rows.rowCount()));
    }
}
