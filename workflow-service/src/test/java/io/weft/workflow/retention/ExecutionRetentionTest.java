package io.weft.workflow.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.workflow.tiers.TierLimits;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention by tier against real PostgreSQL (tests: the free tier keeps 7 days and at most 4 executions). */
@QuarkusTest
class ExecutionRetentionTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    ExecutionRetention retention;

    @Inject
    TierLimits limits;

    @Inject
    Pool pool;

    private final UUID tenant = UUID.randomUUID();
    private final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

    private void execution(String id, String status, OffsetDateTime createdAt, boolean deleted) {
        pool.preparedQuery("INSERT INTO executions (tenant_id, id, workflow_id, status, created_at, deleted_at)"
                        + " VALUES ($1, $2, 'wf', $3, $4, $5)")
                .execute(Tuple.of(tenant, id, status, createdAt, deleted ? createdAt : null)).await().atMost(WITHIN);
        pool.preparedQuery("INSERT INTO execution_nodes (tenant_id, execution_id, node_id, status) VALUES ($1, $2, 'n', 'succeeded')")
                .execute(Tuple.of(tenant, id)).await().atMost(WITHIN);
    }

    private List<String> remaining(String table, String idColumn) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery("SELECT " + idColumn + " AS id FROM " + table + " WHERE tenant_id = $1 ORDER BY 1").execute(Tuple.of(tenant))
                .await().atMost(WITHIN).forEach(row -> ids.add(row.getString("id")));
        return ids;
    }

    @Test
    void finishedExecutionsGoByAgeAndBeyondTheCountWithTheirNodesButLiveOnesStay() {
        execution("old-succeeded", "succeeded", now.minusDays(8), false);
        execution("old-waiting", "waiting", now.minusDays(9), false);
        execution("old-deleted", "failed", now.minusDays(8), true);
        for (int i = 1; i <= 5; i++) {
            execution("recent-" + i, i == 5 ? "cancelled" : "succeeded", now.minusHours(i), false);
        }
        execution("recent-running", "running", now.minusHours(6), false);

        long pruned = retention.prune(tenant, limits.byTier().get("free").retention()).await().atMost(WITHIN);

        // By age: old-succeeded and the tombstone. By count (4 newest kept): recent-5; recent-running and old-waiting are live.
        assertThat(pruned).isEqualTo(3);
        List<String> kept = List.of("old-waiting", "recent-1", "recent-2", "recent-3", "recent-4", "recent-running");
        assertThat(remaining("executions", "id")).containsExactlyElementsOf(kept);
        assertThat(remaining("execution_nodes", "execution_id")).containsExactlyElementsOf(kept);

        assertThat(retention.prune(tenant, limits.byTier().get("free").retention()).await().atMost(WITHIN))
                .as("nothing more to prune").isZero();
    }

    @Test
    void largeBacklogsArePrunedInBatchesAcrossTenantsOnTheirOwnTier() {
        int many = ExecutionRetention.BATCH * 2 + 17;
        pool.preparedQuery("INSERT INTO executions (tenant_id, id, workflow_id, status, created_at)"
                        + " SELECT $1, 'bulk-' || n, 'wf', 'succeeded', $2 - n * interval '1 second' FROM generate_series(1, $3) n")
                .execute(Tuple.of(tenant, now.minusDays(1), many)).await().atMost(WITHIN);
        UUID pro = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO tenant_tiers (tenant_id, tier) VALUES ($1, 'pro')").execute(Tuple.of(pro)).await().atMost(WITHIN);
        pool.preparedQuery("INSERT INTO executions (tenant_id, id, workflow_id, status, created_at)"
                        + " SELECT $1, 'bulk-' || n, 'wf', 'succeeded', $2 FROM generate_series(1, 10) n")
                .execute(Tuple.of(pro, now.minusDays(1))).await().atMost(WITHIN);

        retention.pruneAll().await().atMost(WITHIN);

        assertThat(remaining("executions", "id")).hasSize(4).contains("bulk-1", "bulk-4");
        long proKept = pool.preparedQuery("SELECT count(*) AS n FROM executions WHERE tenant_id = $1").execute(Tuple.of(pro))
                .await().atMost(WITHIN).iterator().next().getLong("n");
        assertThat(proKept).as("a pro tenant keeps 50,000").isEqualTo(10);
    }
}
