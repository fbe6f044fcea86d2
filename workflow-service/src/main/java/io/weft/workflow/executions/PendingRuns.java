package io.weft.workflow.executions;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.json.WeftJson;
import io.weft.workflow.tiers.TierLimits;
import io.weft.workflow.tiers.Tiers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Sends runs held back by a limit (their tenant's tier, their workflow's concurrency limit), oldest
 * first, as running ones end: each takes its slots as an admission does ({@code claim_run_slots}).
 * Every second on every replica; each tenant under the lock that holding a run takes, so that two
 * replicas never send one run twice nor out of turn.
 *
 * <p>It also ends runs that were admitted but never sent: a replica that stopped between admitting a
 * run and sending it leaves a {@code queued} row that no event ever followed. After an hour such a
 * row is marked failed, so that it neither lies in the list nor holds a slot of its tenant.
 */
@ApplicationScoped
public class PendingRuns {
    private static final Logger LOG = Logger.getLogger(PendingRuns.class);
    private static final int TENANTS_PER_POLL = 100;
    private static final int RUNS_PER_TENANT = 200;
    private static final String NEVER_SENT = WeftJson.jsonb(new ExecutionError(ErrorKind.INTERNAL,
            "the run was admitted but its request never reached the executors (the service stopped while sending it)", false, null, null));

    private final Pool pool;
    private final Executors executors;
    private final Tiers tiers;
    /** The nil uuid: PostgreSQL orders uuids by their bytes, so every tenant comes after it. */
    private static final UUID FIRST = new UUID(0L, 0L);
    /** Where the next poll starts: the tenants after this one. */
    private final AtomicReference<UUID> cursor = new AtomicReference<>(FIRST);

    PendingRuns(Pool pool, Executors executors, Tiers tiers) {
        this.pool = pool;
        this.executors = executors;
        this.tiers = tiers;
    }

    @Scheduled(every = "${weft.workflow.pending-runs.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        return release().chain(this::failNeverSent)
                .onFailure().invoke(failure -> LOG.warnf("pending runs could not be released this time: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Releases what the limits allow now, for up to {@value #TENANTS_PER_POLL} tenants with held runs,
     * taking up where the last poll stopped, so that every tenant's turn comes however many hold runs
     * they cannot send yet; answers how many runs were sent.
     */
    public Uni<Integer> release() {
        UUID after = cursor.get();
        return pool.preparedQuery("SELECT DISTINCT tenant_id FROM pending_runs WHERE tenant_id > $1 ORDER BY tenant_id LIMIT $2")
                .execute(Tuple.of(after, TENANTS_PER_POLL))
                .chain(rows -> {
                    List<UUID> tenants = new ArrayList<>();
                    rows.forEach(row -> tenants.add(row.getUUID("tenant_id")));
                    cursor.set(tenants.size() < TENANTS_PER_POLL ? FIRST : tenants.get(tenants.size() - 1));
                    return Multi.createFrom().iterable(tenants)
                            .onItem().transformToUniAndConcatenate(this::release)
                            .collect().asList().map(sent -> sent.stream().mapToInt(Integer::intValue).sum());
                });
    }

    private Uni<Integer> release(UUID tenant) {
        return tiers.limitsOf(tenant).chain(tier -> pool.withTransaction(connection -> connection.preparedQuery(Executors.TENANT_LOCK)
                .execute(Tuple.of(tenant.toString()))
                .chain(() -> connection.preparedQuery("""
                                SELECT execution_id, workflow_id, run_limit, request::text AS request FROM pending_runs
                                WHERE tenant_id = $1 ORDER BY created_at, execution_id LIMIT $2""")
                        .execute(Tuple.of(tenant, RUNS_PER_TENANT)))
                .chain(rows -> {
                    List<Row> held = new ArrayList<>();
                    rows.forEach(held::add);
                    return releaseInOrder(connection, tenant, tier, held.iterator(), new HashSet<>(), 0);
                })));
    }

    /**
     * Sends the held runs that get their slots, oldest first, until the tenant is full; a run whose
     * workflow is full keeps the later ones of that workflow waiting.
     */
    private Uni<Integer> releaseInOrder(SqlConnection connection, UUID tenant, TierLimits.Limits tier, Iterator<Row> held,
                                        Set<String> blockedWorkflows, int sent) {
        if (!held.hasNext()) {
            return Uni.createFrom().item(sent);
        }
        Row run = held.next();
        String workflowId = run.getString("workflow_id");
        if (blockedWorkflows.contains(workflowId)) {
            return releaseInOrder(connection, tenant, tier, held, blockedWorkflows, sent);
        }
        String executionId = run.getString("execution_id");
        return connection.preparedQuery("SELECT slot, workflow_slot, refusal FROM claim_run_slots($1, $2, $3, $4, $5)")
                .execute(Tuple.of(tenant, executionId, workflowId, tier.concurrentExecutions(), run.getInteger("run_limit")))
                .chain(claims -> {
                    Row claimed = claims.iterator().next();
                    String refusal = claimed.getString("refusal");
                    if ("tenant-full".equals(refusal)) {
                        return Uni.createFrom().item(sent);
                    }
                    if (refusal != null) {
                        blockedWorkflows.add(workflowId);
                        return releaseInOrder(connection, tenant, tier, held, blockedWorkflows, sent);
                    }
                    return send(connection, tenant, run, claimed.getInteger("slot"), claimed.getInteger("workflow_slot"))
                            .chain(() -> releaseInOrder(connection, tenant, tier, held, blockedWorkflows, sent + 1));
                });
    }

    private Uni<Void> send(SqlConnection connection, UUID tenant, Row run, Integer slot, Integer workflowSlot) {
        String executionId = run.getString("execution_id");
        return executors.release(request(run.getString("request")))
                .chain(() -> connection.preparedQuery("DELETE FROM pending_runs WHERE tenant_id = $1 AND execution_id = $2")
                        .execute(Tuple.of(tenant, executionId)))
                .chain(() -> connection.preparedQuery("UPDATE executions SET status = 'queued', slot = $3, workflow_slot = $4,"
                                + " updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'pending'")
                        .execute(Tuple.of(tenant, executionId, slot, workflowSlot)))
                .replaceWithVoid();
    }

    /**
     * Withdraws a held run before it is sent, under its tenant's lock so that no release sends it
     * meanwhile: it leaves the queue, and its cancellation is applied to the read model as if its
     * event had come back from Kafka (so that streams show it at once). False when it
     * is no longer held (a release sent it, or it was withdrawn already).
     */
    Uni<Boolean> withdraw(UUID tenant, ExecutionEvent.ExecutionCancelled cancelled) {
        return pool.withTransaction(connection -> connection.preparedQuery(Executors.TENANT_LOCK).execute(Tuple.of(tenant.toString()))
                .chain(() -> connection.preparedQuery("DELETE FROM pending_runs WHERE tenant_id = $1 AND execution_id = $2")
                        .execute(Tuple.of(tenant, cancelled.executionId())))
                .chain(deleted -> {
                    if (deleted.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    ExecutionProjection projection = new ExecutionProjection();
                    projection.add(tenant, cancelled);
                    return projection.write(connection).replaceWith(true);
                }));
    }

    private Uni<Void> failNeverSent() {
        return pool.preparedQuery("""
                        UPDATE executions SET status = 'failed', error = $1::text::jsonb, finished_at = now(), updated_at = now()
                        WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM executions
                                                  WHERE status = 'queued' AND last_sequence = 0 AND deleted_at IS NULL
                                                    AND created_at < now() - interval '1 hour'
                                                  LIMIT 500)
                          AND status = 'queued' AND last_sequence = 0""")
                .execute(Tuple.of(NEVER_SENT))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.warnf("%d runs admitted an hour ago or more never reached the executors; marked failed", rows.rowCount());
                    }
                })
                .replaceWithVoid();
    }

    private static ExecutionRequested request(String json) {
        try {
            return WeftJson.mapper().readValue(json, ExecutionRequested.class);
        } catch (Exception e) {
            throw new IllegalStateException("a pending run is unreadable", e);
        }
    }
}
