package io.weft.executor.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.executor.payloads.PayloadStore;
import io.weft.executor.runs.ExecutionStore;
import io.weft.executor.runs.Lease;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention of the executor's data against real PostgreSQL (default maximum age: 400 days). */
@QuarkusTest
class ExecutorRetentionTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    ExecutorRetention retention;

    @Inject
    Pool pool;

    @Inject
    PayloadStore payloads;

    @Inject
    ExecutionStore store;

    private final String tenant = UUID.randomUUID().toString();

    private String execution(String status, String finishedAgo) {
        return execution(status, finishedAgo, null);
    }

    /** @param retainDays the run request's retention (its tier's), or null for a request without one */
    private String execution(String status, String finishedAgo, Integer retainDays) {
        String id = "exec-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_data,"
                        + " status, created_at, finished_at, retain_days) VALUES ($1, $2, 'wf', 1, 'h', 'MANUAL', '{}', $3,"
                        + " now() - interval '600 days', CASE WHEN $4::text IS NULL THEN NULL ELSE now() - $4::text::interval END, $5)")
                .execute(Tuple.of(id, tenant, status, finishedAgo, retainDays)).await().atMost(WITHIN);
        pool.preparedQuery("INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, duration_ns) VALUES ($1, 'n', 'succeeded', 1, 1)")
                .execute(Tuple.of(id)).await().atMost(WITHIN);
        return id;
    }

    /** A payload stored before references were kept: it goes by age alone. */
    private String payload(String storedAgo) {
        String id = "sha256-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO payloads (tenant_id, id, size_bytes, content, stored_at, referenced)"
                        + " VALUES ($1, $2, 1, $3, now() - $4::text::interval, false)")
                .execute(Tuple.of(tenant, id, Buffer.buffer(new byte[] {1}), storedAgo)).await().atMost(WITHIN);
        return id;
    }

    /** A payload as nodes store it, referred to by these executions (bytes unique to the test). */
    private String storedBy(String... executions) {
        byte[] bytes = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String id = null;
        for (String execution : executions) {
            id = payloads.store(tenant, execution, bytes);
        }
        return id;
    }

    private void storedAgo(String payload, String ago) {
        pool.preparedQuery("UPDATE payloads SET stored_at = now() - $2::text::interval WHERE id = $1").execute(Tuple.of(payload, ago))
                .await().atMost(WITHIN);
    }

    private boolean exists(String table, String column, String id) {
        return pool.preparedQuery("SELECT 1 FROM " + table + " WHERE " + column + " = $1").execute(Tuple.of(id)).await().atMost(WITHIN)
                .rowCount() > 0;
    }

    @Test
    void oldFinishedExecutionsAndUnusedPayloadsGoLiveAndRecentOnesStay() {
        String oldDone = execution("succeeded", "500 days");
        String oldFailed = execution("failed", "401 days");
        String recentDone = execution("succeeded", "10 days");
        String stillWaiting = execution("waiting", null);
        String oldPayload = payload("500 days");
        String recentPayload = payload("3 days");

        retention.prune();

        assertThat(exists("executions", "id", oldDone)).isFalse();
        assertThat(exists("executions", "id", oldFailed)).isFalse();
        assertThat(exists("node_checkpoints", "execution_id", oldDone)).as("checkpoints go with their execution").isFalse();
        assertThat(exists("executions", "id", recentDone)).isTrue();
        assertThat(exists("executions", "id", stillWaiting)).as("live executions are never pruned").isTrue();
        assertThat(exists("node_checkpoints", "execution_id", stillWaiting)).isTrue();
        assertThat(exists("payloads", "id", oldPayload)).isFalse();
        assertThat(exists("payloads", "id", recentPayload)).as("stored before references: kept for the maximum age").isTrue();
    }

    @Test
    void aPayloadGoesWithTheLastExecutionThatRefersToIt() {
        String freeOld = execution("succeeded", "8 days", 7);
        String proRecent = execution("succeeded", "8 days", 30);
        String onlyFree = storedBy(freeOld);
        String shared = storedBy(freeOld, proRecent);
        String justStored = storedBy(freeOld);
        storedAgo(onlyFree, "8 days");
        storedAgo(shared, "8 days");

        retention.prune();

        assertThat(exists("executions", "id", freeOld)).isFalse();
        assertThat(exists("execution_payloads", "execution_id", freeOld)).as("references go with their execution").isFalse();
        assertThat(exists("payloads", "id", onlyFree)).as("a free run's payload goes with the run, not after 400 days").isFalse();
        assertThat(exists("payloads", "id", shared)).as("a pro run still refers to it").isTrue();
        assertThat(exists("payloads", "id", justStored)).as("stored within the hour: it may be being referred to right now").isTrue();

        storedAgo(justStored, "2 hours");
        retention.prune();
        assertThat(exists("payloads", "id", justStored)).isFalse();
    }

    @Test
    void aRetryThatTakesOverCheckpointsKeepsTheirPayloadsAfterTheOriginalGoes() {
        String original = execution("failed", "8 days", 7);
        String payload = storedBy(original);
        storedAgo(payload, "8 days");
        String retry = execution("running", null, 30);
        pool.preparedQuery("UPDATE executions SET lease_owner = 'executor-1' WHERE id = $1").execute(Tuple.of(retry)).await().atMost(WITHIN);
        store.seed(new Lease(retry, "executor-1", 1, 0, null, 0, java.time.Instant.now()), original, java.util.List.of("n"), WITHIN);

        retention.prune();

        assertThat(exists("executions", "id", original)).isFalse();
        assertThat(exists("payloads", "id", payload)).as("the retry refers to it now").isTrue();
    }

    @Test
    void executionsGoAfterTheirTiersAgeAndAFinishLaterThanTheRequestCounts() {
        String freeOld = execution("succeeded", "8 days", 7);
        String proRecent = execution("failed", "8 days", 30);
        String freeWaiting = execution("waiting", null, 7);
        String enterpriseOld = execution("cancelled", "366 days", 365);

        retention.prune();

        assertThat(exists("executions", "id", freeOld)).as("a free run finished 8 days ago").isFalse();
        assertThat(exists("executions", "id", enterpriseOld)).isFalse();
        assertThat(exists("executions", "id", proRecent)).as("a pro run keeps 30 days").isTrue();
        assertThat(exists("executions", "id", freeWaiting)).isTrue();

        // a waiting run that finishes now is kept for its tier's age from now
        pool.preparedQuery("UPDATE executions SET status = 'succeeded', finished_at = now() WHERE id = $1").execute(Tuple.of(freeWaiting))
                .await().atMost(WITHIN);
        retention.prune();
        assertThat(exists("executions", "id", freeWaiting)).isTrue();
        assertThat(pool.preparedQuery("SELECT prune_after > now() + interval '6 days' AS later FROM executions WHERE id = $1")
                .execute(Tuple.of(freeWaiting)).await().atMost(WITHIN).iterator().next().getBoolean("later")).isTrue();
    }

    @Test
    void handledDeadLettersGoAfterTheDefaultAgeAndOpenOnesStayWithTheirExecutions() {
        String handled = deadLetter("discarded", "401 days");
        String recent = deadLetter("redriven", "3 days");
        String open = deadLetter("open", null);
        String deadLettered = execution("failed", "8 days", 7);
        String letterOfIt = deadLetter("open", null);
        pool.preparedQuery("UPDATE dead_letters SET execution_id = $2 WHERE id = $1").execute(Tuple.of(letterOfIt, deadLettered))
                .await().atMost(WITHIN);

        retention.prune();

        assertThat(exists("executions", "id", deadLettered)).as("an open dead letter keeps the execution it would redrive").isTrue();

        assertThat(exists("dead_letters", "id", handled)).isFalse();
        assertThat(exists("dead_letters", "id", recent)).isTrue();
        assertThat(exists("dead_letters", "id", open)).isTrue();
    }

    private String deadLetter(String status, String handledAgo) {
        String id = "dl-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO dead_letters (id, tenant_id, source_topic, source_partition, source_offset, reason, message, status,"
                        + " handled_at, created_at) VALUES ($1, $2, 'weft.execution.requests', 0, $3, 'UNREADABLE_MESSAGE', 'x', $4,"
                        + " CASE WHEN $5::text IS NULL THEN NULL ELSE now() - $5::text::interval END, now() - interval '500 days')")
                .execute(Tuple.of(id, tenant, Math.abs(UUID.randomUUID().getMostSignificantBits()), status, handledAgo))
                .await().atMost(WITHIN);
        return id;
    }
}
