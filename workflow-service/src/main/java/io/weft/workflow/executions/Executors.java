package io.weft.workflow.executions;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.WeftEvent;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.events.EventPublisher;
import io.weft.platform.events.KafkaTopics;
import io.weft.platform.problems.ProblemException;
import io.weft.workflow.tiers.TierLimits;
import io.weft.workflow.tiers.Tiers;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What workflow-service sends the executors: run requests on {@code weft.execution.requests} and
 * commands on {@code weft.execution.control}, keyed by execution id (and, for a held run withdrawn
 * before it was sent, its {@code ExecutionCancelled} on {@code weft.execution.events}). Each
 * completes when the broker has the message (acks=all). A broker that does not acknowledge it
 * within 10 s is a 503 problem — usually nothing was sent, but an acknowledgement lost on its way
 * back cannot be told apart.
 *
 * <p>Every run is admitted first, in one statement ({@code admit_run}): when it gets a free slot of its
 * tenant's tier and, with a concurrency limit, of its workflow (claimed with SKIP LOCKED, so that one
 * tenant's admissions never wait for each other), its row is written {@code queued} and the request
 * goes out; beyond them it is refused (429) or held as {@code pending} ({@link PendingRuns} sends it
 * when a running one ends).
 */
@ApplicationScoped
public class Executors {
    /** How long a caller waits for the broker before a 503. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** The lock that holding, releasing and withdrawing a tenant's held runs take (the same key as in {@code admit_run}). */
    static final String TENANT_LOCK = "SELECT pg_advisory_xact_lock(hashtext('weft-admission/' || $1::text))";

    /** What happened to a run: sent to the executors, or held back by a limit. */
    public enum Admitted { QUEUED, PENDING }

    private final EventPublisher publisher;
    private final ConcurrencyLimits limits;
    private final Tiers tiers;
    private final Pool pool;
    private final IdempotencyKeys idempotencyKeys;

    Executors(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ConcurrencyLimits limits, Tiers tiers,
              Pool pool, KafkaTopics topics, IdempotencyKeys idempotencyKeys) {
        this.idempotencyKeys = idempotencyKeys;
        this.publisher = new EventPublisher(bootstrapServers, "weft-workflow-service", "/weft/workflow-service", topics, PATIENCE);
        this.limits = limits;
        this.tiers = tiers;
        this.pool = pool;
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /**
     * Admits a run and, when it may go now, sends it. Its {@code queued} row is written before the
     * request goes out, so that concurrent admissions count it; if the broker does not take the
     * request, the row is taken back and the caller gets the 503.
     */
    public Uni<Admitted> queue(ExecutionRequested asked) {
        return queueOnce(asked, null).map(Queued::admitted);
    }

    /**
     * What {@link #queueOnce} did: admitted {@code request} now, or found the run an earlier request
     * with the same idempotency key started ({@code replayed}; {@code status} is that run's now).
     */
    public record Queued(ExecutionRequested request, Admitted admitted, String status, boolean replayed) {
    }

    /**
     * {@link #queue}, once per idempotency key: the key is recorded in the transaction that admits
     * the run, and a key used before answers that run instead. A run the key started that never
     * reached the executors (its sender died after the commit) is sent again: the executors take a
     * run once, whatever number of times it is requested. Without a key, the same as {@link #queue}.
     */
    public Uni<Queued> queueOnce(ExecutionRequested asked, IdempotencyKeys.Key key) {
        UUID tenant = UUID.fromString(asked.tenantId());
        return tiers.activeLimitsOf(tenant).chain(tier -> {
            // The executor keeps the run's data as long as the tier keeps executions here, and charges its model calls to
            // the tier's budget.
            ExecutionRequested request = asked.underTier(retainDays(tier.retention().maxAge()),
                    tier.llmTokensPerMonth().isPresent() ? tier.llmTokensPerMonth().getAsLong() : null);
            // Refused before admission: a held run too large to send would block its tenant's queue later.
            String json = WeftJson.jsonb(request);
            if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > EventPublisher.MAX_EVENT_BYTES) {
                return Uni.createFrom().failure(tooLarge());
            }
            return limits.of(request.workflowId(), request.workflowVersion()).chain(found -> {
                ConcurrencyLimits.Limit workflowLimit = found.orElse(null);
                if (key == null) {
                    return decide(pool, tenant, request, json, tier, workflowLimit)
                            .chain(decision -> act(decision, tenant, request, tier, workflowLimit))
                            .map(admitted -> new Queued(request, admitted, status(admitted), false));
                }
                return pool.withTransaction(transaction -> idempotencyKeys.claim(transaction, tenant, key, request, json)
                                .chain(earlier -> earlier.isPresent() ? Uni.createFrom().item(new Claimed(null, earlier.get()))
                                        : decide(transaction, tenant, request, json, tier, workflowLimit)
                                                .invoke(decision -> refusal(decision, tier, workflowLimit).ifPresent(refused -> {
                                                    throw refused; // the key goes with the rolled-back transaction
                                                }))
                                                // the key must outlive a crash of the database as long as its run does
                                                .call(() -> transaction.query("SET LOCAL synchronous_commit = on").execute())
                                                .map(decision -> new Claimed(decision, null))))
                        .chain(claimed -> claimed.earlier() != null ? replay(claimed.earlier())
                                : act(claimed.decision(), tenant, request, tier, workflowLimit)
                                        .map(admitted -> new Queued(request, admitted, status(admitted), false)));
            });
        });
    }

    private record Claimed(String decision, IdempotencyKeys.Earlier earlier) {
    }

    private Uni<Queued> replay(IdempotencyKeys.Earlier earlier) {
        Queued replayed = new Queued(earlier.request(), null, earlier.status(), true);
        return earlier.neverStarted() ? send(earlier.request()).replaceWith(replayed) : Uni.createFrom().item(replayed);
    }

    private static String status(Admitted admitted) {
        return admitted.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whole days, rounded up (at least one), so the executor never prunes before this service does. */
    static int retainDays(Duration maxAge) {
        long days = maxAge.toDays();
        if (maxAge.compareTo(Duration.ofDays(days)) > 0) {
            days++;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, days));
    }

    private static ProblemException tooLarge() {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the run's input is too large to queue: at most about "
                + EventPublisher.MAX_EVENT_BYTES / 1000 + " kB");
    }

    /** Admission: {@code queued}, {@code pending}, or the refusal ({@code workflow-full}, {@code tenant-full}, {@code held-full}). */
    private static Uni<String> decide(SqlClient client, UUID tenant, ExecutionRequested request, String json, TierLimits.Limits tier,
                                      ConcurrencyLimits.Limit workflowLimit) {
        boolean queue = workflowLimit == null || workflowLimit.queue();
        return client.preparedQuery("SELECT admit_run($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text::jsonb) AS decision")
                .execute(Tuple.from(Arrays.asList(tenant, request.executionId(), request.workflowId(), request.workflowVersion(),
                        request.planHash(), request.trigger().name(), request.requestedBy(), request.retryOf(),
                        ExecutionStore.utc(request.occurredAt()), tier.concurrentExecutions(),
                        workflowLimit == null ? null : workflowLimit.max(), queue, tier.heldRuns(), json)))
                .map(rows -> rows.iterator().next().getString("decision"));
    }

    /** Sends a queued run (taking its row back if the broker refuses it), or fails with the refusal. */
    private Uni<Admitted> act(String decision, UUID tenant, ExecutionRequested request, TierLimits.Limits tier,
                              ConcurrencyLimits.Limit workflowLimit) {
        Optional<ProblemException> refused = refusal(decision, tier, workflowLimit);
        if (refused.isPresent()) {
            return Uni.createFrom().failure(refused.get());
        }
        return switch (decision) {
            case "queued" -> send(request).onFailure().call(() -> takeBack(tenant, request.executionId())).replaceWith(Admitted.QUEUED);
            case "pending" -> Uni.createFrom().item(Admitted.PENDING);
            default -> throw new IllegalStateException("unknown admission decision " + decision);
        };
    }

    private static Optional<ProblemException> refusal(String decision, TierLimits.Limits tier, ConcurrencyLimits.Limit workflowLimit) {
        return Optional.ofNullable(switch (decision) {
            case "workflow-full" -> new ProblemException(ProblemType.RATE_LIMITED,
                    "the workflow runs " + workflowLimit.max() + " executions already, its concurrency limit;"
                            + " try again when one has finished");
            case "tenant-full" -> new ProblemException(ProblemType.RATE_LIMITED,
                    "the organisation runs " + tier.concurrentExecutions() + " executions already, the limit of its plan;"
                            + " try again when one has finished");
            case "held-full" -> new ProblemException(ProblemType.RATE_LIMITED,
                    tier.heldRuns() + " runs are waiting for a free slot already, the most the organisation's plan holds;"
                            + " try again later");
            default -> null;
        });
    }

    /** A run whose request the broker did not take: its row (and key) go, unless its events say it started after all. */
    private Uni<Void> takeBack(UUID tenant, String executionId) {
        return pool.withTransaction(transaction -> transaction
                        .preparedQuery("DELETE FROM executions WHERE tenant_id = $1 AND id = $2 AND status = 'queued' AND last_sequence = 0")
                        .execute(Tuple.of(tenant, executionId))
                        .chain(deleted -> deleted.rowCount() == 0 ? Uni.createFrom().voidItem()
                                : idempotencyKeys.forget(transaction, tenant, executionId)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Sends a run that was held back (its row is already there, its slots claimed); the caller holds its tenant's lock. */
    Uni<Void> release(ExecutionRequested request) {
        return send(request);
    }

    private Uni<Void> send(ExecutionRequested request) {
        return send((WeftEvent) request)
                .onFailure(EventPublisher.TooLarge.class).transform(refused -> tooLarge())
                .onFailure(failure -> !(failure instanceof ProblemException)).transform(failure -> new ProblemException(
                        ProblemType.DEPENDENCY_UNAVAILABLE, "the run could not be queued: the message broker did not acknowledge it; try again"));
    }

    /** Off the event loop: sending may wait for the broker's metadata (a fifth of the patience at most). */
    private Uni<Void> send(WeftEvent event) {
        return Uni.createFrom().completionStage(() -> publisher.publish(event)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Says on the events topic what became of a run that never reached the executors (a held run withdrawn). */
    Uni<Void> announce(ExecutionEvent event) {
        return send(event);
    }

    /** Sends a command: the executors act on it from then on, wherever the execution is. */
    public Uni<Void> command(ExecutionControl command) {
        return send(command)
                .onFailure().transform(failure -> new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "the command could not be sent (the message broker did not take it); try again"));
    }
}
