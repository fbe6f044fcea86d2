package io.weft.workflow.executions;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code Idempotency-Key} on run requests (manual runs, retries): a key the tenant used within
 * {@link #KEPT} answers the execution it started, so that a client that lost the answer (a timeout,
 * a 502 from a service that died after admitting the run) can ask again without starting a second
 * run. The key is written in the admitting transaction ({@link Executors#queueOnce}) and taken back
 * with a run the broker refused; the same key
 * with another request is a 422, as in the IETF draft "The Idempotency-Key HTTP Header Field".
 */
@ApplicationScoped
public class IdempotencyKeys {
    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);
    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** How long a key answers its execution. */
    static final Duration KEPT = Duration.ofHours(24);
    static final int MAX_LENGTH = 255;
    private static final int PRUNE_BATCH = 1_000;

    /** A key as presented, and a hash of what it was presented with (operation, target, body). */
    public record Key(String value, byte[] fingerprint) {
    }

    /** The execution a key started earlier: its request as sent, and its status now ({@code deleted} once retention pruned it). */
    record Earlier(ExecutionRequested request, String status, long lastSequence) {
        boolean neverStarted() {
            return "queued".equals(status) && lastSequence == 0;
        }
    }

    private final Pool pool;
    private final Clock clock;

    IdempotencyKeys(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * The key of a request, or null when none was sent; 400 when it is not 1 to 255 visible ASCII
     * characters. {@code parts} name what the request asks for (operation, target, body).
     */
    public static Key of(String header, Object... parts) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > MAX_LENGTH || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, 400, "the " + HEADER + " header is not a usable key",
                    List.of(new Problem.Violation(HEADER, "must be 1 to " + MAX_LENGTH + " visible ASCII characters (a UUID is a good key)")));
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                byte[] bytes = (part == null ? "\0" : WeftJson.jsonb(part)).getBytes(StandardCharsets.UTF_8);
                sha.update(bytes);
                sha.update((byte) 0x1f);
            }
            return new Key(header, sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Within the admitting transaction: records the key for {@code request}, or answers the
     * execution it started within {@link #KEPT} (422 when it was used for another request). A key
     * older than that starts afresh. Two requests with one key wait for each other here: the second
     * sees the first's execution once it commits, or takes the key if the first was refused.
     */
    Uni<Optional<Earlier>> claim(SqlClient transaction, UUID tenant, Key key, ExecutionRequested request, String json) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return transaction.preparedQuery("""
                        INSERT INTO idempotency_keys (tenant_id, key, fingerprint, execution_id, request, created_at)
                        VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)
                        ON CONFLICT (tenant_id, key) DO UPDATE
                            SET fingerprint = excluded.fingerprint, execution_id = excluded.execution_id, request = excluded.request,
                                created_at = excluded.created_at
                            WHERE idempotency_keys.created_at < $7
                        RETURNING execution_id""")
                .execute(Tuple.from(Arrays.asList(tenant, key.value(), io.vertx.core.buffer.Buffer.buffer(key.fingerprint()),
                        request.executionId(), json, now, now.minus(KEPT))))
                .chain(inserted -> inserted.rowCount() == 1 ? Uni.createFrom().item(Optional.<Earlier>empty())
                        : earlier(transaction, tenant, key).map(Optional::of));
    }

    private static Uni<Earlier> earlier(SqlClient transaction, UUID tenant, Key key) {
        return transaction.preparedQuery("""
                        SELECT k.fingerprint, k.request::text AS request, coalesce(e.status, 'deleted') AS status,
                               coalesce(e.last_sequence, 0) AS last_sequence
                        FROM idempotency_keys k LEFT JOIN executions e ON e.tenant_id = k.tenant_id AND e.id = k.execution_id
                        WHERE k.tenant_id = $1 AND k.key = $2""")
                .execute(Tuple.of(tenant, key.value()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (!MessageDigest.isEqual(row.getBuffer("fingerprint").getBytes(), key.fingerprint())) {
                        throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "this " + HEADER
                                + " was used for another request in the last 24 hours; use a new key for a new request");
                    }
                    return new Earlier(read(row.getString("request")), row.getString("status"), row.getLong("last_sequence"));
                });
    }

    private static ExecutionRequested read(String json) {
        try {
            return WeftJson.mapper().readValue(json, ExecutionRequested.class);
        } catch (Exception e) {
            throw new IllegalStateException("a stored run request is unreadable", e);
        }
    }

    /** The key of a run that was taken back (the broker refused it): the next request with it starts afresh. */
    Uni<Void> forget(SqlClient client, UUID tenant, String executionId) {
        return client.preparedQuery("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND execution_id = $2")
                .execute(Tuple.of(tenant, executionId)).replaceWithVoid();
    }

    /** Keys older than {@link #KEPT} answer nothing any more; they go in batches. */
    @Scheduled(every = "${weft.workflow.idempotency-keys.prune-every:10m}", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> prune() {
        return pruneOlderThan(clock.instant().minus(KEPT).atOffset(ZoneOffset.UTC))
                .onFailure().invoke(failure -> LOG.warnf("cannot prune idempotency keys this time: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    Uni<Long> pruneOlderThan(OffsetDateTime before) {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < $1"
                        + " LIMIT " + PRUNE_BATCH + " FOR UPDATE SKIP LOCKED)")
                .execute(Tuple.of(before))
                .chain(rows -> rows.rowCount() < PRUNE_BATCH ? Uni.createFrom().item((long) rows.rowCount())
                        : pruneOlderThan(before).map(more -> more + rows.rowCount()));
    }
}
