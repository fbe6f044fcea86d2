package io.weft.workflow.executions;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends runs held back by their workflow's concurrency limit, oldest first, as running ones end.
 * Every second on every replica; each workflow under its lock (the one admission takes), so two
 * replicas never release past the limit.
 */
@ApplicationScoped
public class PendingRuns {
    private static final Logger LOG = Logger.getLogger(PendingRuns.class);
    private static final int WORKFLOWS_PER_POLL = 100;

    private final Pool pool;
    private final Executors executors;

    PendingRuns(Pool pool, Executors executors) {
        this.pool = pool;
        this.executors = executors;
    }

    @Scheduled(every = "${weft.workflow.pending-runs.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        return release().onFailure().invoke(failure -> LOG.warnf("pending runs could not be released this time: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Releases what the limits allow now; answers how many runs were sent. */
    public Uni<Integer> release() {
        return pool.preparedQuery("SELECT DISTINCT tenant_id, workflow_id FROM pending_runs LIMIT $1")
                .execute(Tuple.of(WORKFLOWS_PER_POLL))
                .chain(rows -> {
                    List<Row> workflows = new ArrayList<>();
                    rows.forEach(workflows::add);
                    return Multi.createFrom().iterable(workflows)
                            .onItem().transformToUniAndConcatenate(row -> release(row.getUUID("tenant_id"), row.getString("workflow_id")))
                            .collect().asList().map(sent -> sent.stream().mapToInt(Integer::intValue).sum());
                });
    }

    private Uni<Integer> release(UUID tenant, String workflowId) {
        return pool.withTransaction(connection -> Executors.running(connection, tenant, workflowId).chain(running ->
                connection.preparedQuery("""
                                SELECT execution_id, run_limit, request::text AS request FROM pending_runs
                                WHERE tenant_id = $1 AND workflow_id = $2 ORDER BY created_at, execution_id LIMIT 100""")
                        .execute(Tuple.of(tenant, workflowId))
                        .chain(rows -> {
                            List<Row> pending = new ArrayList<>();
                            rows.forEach(pending::add);
                            int free = pending.isEmpty() ? 0 : (int) Math.max(0, pending.get(0).getInteger("run_limit") - running);
                            List<Row> now = pending.subList(0, Math.min(free, pending.size()));
                            return Multi.createFrom().iterable(now)
                                    .onItem().transformToUniAndConcatenate(row -> executors.release(request(row.getString("request")))
                                            .chain(() -> connection.preparedQuery(
                                                    "DELETE FROM pending_runs WHERE tenant_id = $1 AND execution_id = $2")
                                                    .execute(Tuple.of(tenant, row.getString("execution_id"))))
                                            .chain(() -> connection.preparedQuery("UPDATE executions SET status = 'queued', updated_at = now()"
                                                    + " WHERE tenant_id = $1 AND id = $2 AND status = 'pending'")
                                                    .execute(Tuple.of(tenant, row.getString("execution_id")))))
                                    .collect().asList().map(List::size);
                        })));
    }

    private static ExecutionRequested request(String json) {
        try {
            return WeftJson.mapper().readValue(json, ExecutionRequested.class);
        } catch (Exception e) {
            throw new IllegalStateException("a pending run is unreadable", e);
        }
    }
}
