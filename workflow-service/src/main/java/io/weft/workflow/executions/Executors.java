package io.weft.workflow.executions;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.WeftEvent;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.events.EventPublisher;
import io.weft.platform.problems.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What workflow-service sends the executors: run requests on {@code weft.execution.requests} and
 * commands on {@code weft.execution.control}, keyed by execution id. Each completes when the broker
 * has the message (acks=all). A broker that does not acknowledge it within 10 s is a 503 problem —
 * usually nothing was sent, but an acknowledgement lost on its way back cannot be told apart.
 *
 * <p>A run of a workflow version with a concurrency limit is admitted under a lock per workflow:
 * under the limit it goes out at once; over it, it is refused (429) or held as {@code pending}
 * ({@link PendingRuns} sends it when a running one ends).
 */
@ApplicationScoped
public class Executors {
    private static final Logger LOG = Logger.getLogger(Executors.class);
    /** How long a caller waits for the broker before a 503. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    static final String RUNNING = "status IN ('queued', 'running') AND deleted_at IS NULL";

    /** What happened to a run: sent to the executors, or held back by its workflow's limit. */
    public enum Admitted { QUEUED, PENDING }

    private final EventPublisher publisher;
    private final ExecutionStore executions;
    private final ConcurrencyLimits limits;
    private final Pool pool;

    Executors(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ExecutionStore executions,
              ConcurrencyLimits limits, Pool pool) {
        this.publisher = new EventPublisher(bootstrapServers, "weft-workflow-service", "/weft/workflow-service", PATIENCE);
        this.executions = executions;
        this.limits = limits;
        this.pool = pool;
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /**
     * Queues a run, within its workflow's concurrency limit: once the request is on Kafka the run
     * cannot be lost; the read model's {@code queued} row is written after it, and if that write
     * fails the run's own events create the row.
     */
    public Uni<Admitted> queue(ExecutionRequested request) {
        return limits.of(request.workflowId(), request.workflowVersion()).chain(limit -> limit.isEmpty()
                ? send(request).chain(() -> recorded(request)).replaceWith(Admitted.QUEUED)
                : admit(request, limit.get()));
    }

    private Uni<Admitted> admit(ExecutionRequested request, ConcurrencyLimits.Limit limit) {
        UUID tenant = UUID.fromString(request.tenantId());
        return pool.withTransaction(connection -> running(connection, tenant, request.workflowId()).chain(running -> {
            if (running < limit.max()) {
                return send(request).chain(() -> recorded(request)).replaceWith(Admitted.QUEUED);
            }
            if (!limit.queue()) {
                throw new ProblemException(ProblemType.RATE_LIMITED, "the workflow runs " + running + " executions already, its limit;"
                        + " try again when one has finished");
            }
            return connection.preparedQuery("INSERT INTO pending_runs (tenant_id, execution_id, workflow_id, run_limit, request)"
                            + " VALUES ($1, $2, $3, $4, $5::text::jsonb)")
                    .execute(Tuple.of(tenant, request.executionId(), request.workflowId(), limit.max(), json(request)))
                    .chain(() -> connection.preparedQuery("""
                                    INSERT INTO executions (tenant_id, id, workflow_id, workflow_version, plan_hash, trigger_kind, status,
                                                            requested_by, retry_of, created_at)
                                    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9)""")
                            .execute(Tuple.from(Arrays.asList(tenant, request.executionId(), request.workflowId(),
                                    request.workflowVersion(), request.planHash(), request.trigger().name(), request.requestedBy(),
                                    request.retryOf(), ExecutionStore.utc(request.occurredAt())))))
                    .replaceWith(Admitted.PENDING);
        }));
    }

    /**
     * Takes the workflow's lock for the caller's transaction and counts its running executions
     * (queued or running in the read model; waiting and paused ones hold no executor).
     */
    static Uni<Long> running(SqlConnection connection, UUID tenant, String workflowId) {
        return connection.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))")
                .execute(Tuple.of(tenant.toString(), workflowId))
                .chain(() -> connection.preparedQuery("SELECT count(*) AS n FROM executions WHERE tenant_id = $1 AND workflow_id = $2 AND "
                        + RUNNING).execute(Tuple.of(tenant, workflowId)))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Sends a run that was held back (its row is already there); the caller holds the workflow's lock. */
    Uni<Void> release(ExecutionRequested request) {
        return send(request);
    }

    private Uni<Void> recorded(ExecutionRequested request) {
        return executions.queued(UUID.fromString(request.tenantId()), request.executionId(), request.workflowId(),
                        request.workflowVersion(), request.planHash(), request.trigger(), request.requestedBy(), request.retryOf(),
                        ExecutionStore.utc(request.occurredAt()))
                .onFailure().invoke(failure -> LOG.warnf("execution %s was queued but not recorded yet: %s", request.executionId(),
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> send(ExecutionRequested request) {
        return send((WeftEvent) request)
                .onFailure(EventPublisher.TooLarge.class).transform(tooLarge -> new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                        "the run's input is too large to queue: at most about " + EventPublisher.MAX_EVENT_BYTES / 1000 + " kB"))
                .onFailure(failure -> !(failure instanceof ProblemException)).transform(failure -> new ProblemException(
                        ProblemType.DEPENDENCY_UNAVAILABLE, "the run could not be queued: the message broker did not acknowledge it; try again"));
    }

    /** Off the event loop: sending may wait for the broker's metadata (a fifth of the patience at most). */
    private Uni<Void> send(WeftEvent event) {
        return Uni.createFrom().completionStage(() -> publisher.publish(event)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Sends a command: the executors act on it from then on, wherever the execution is. */
    public Uni<Void> command(ExecutionControl command) {
        return send(command)
                .onFailure().transform(failure -> new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "the command could not be sent (the message broker did not take it); try again"));
    }

    private static String json(ExecutionRequested request) {
        try {
            return WeftJson.withoutNul(WeftJson.mapper().writeValueAsString(request));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
