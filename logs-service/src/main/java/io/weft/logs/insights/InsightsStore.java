package io.weft.logs.insights;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Insights over a time range, computed from the stored rows themselves: runs and outcomes and
 * durations from {@code execution_history} (one row per finished execution, so a redelivered event
 * counts once), slowest nodes from the node events of {@code execution_log}.
 */
@ApplicationScoped
public class InsightsStore {
    private static final String OUTCOMES = """
            count(*) AS runs,
            count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
            count(*) FILTER (WHERE status = 'failed') AS failed,
            count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95""";

    public record Query(UUID tenant, OffsetDateTime from, OffsetDateTime to, Duration bucket, String workflowId) {
    }

    public record Outcomes(long runs, long succeeded, long failed, long cancelled, Double successRate, Double failureRate,
                           Long p50DurationMs, Long p95DurationMs) {
    }

    public record Bucket(Instant start, Outcomes outcomes) {
    }

    public record WorkflowOutcomes(String workflowId, Outcomes outcomes) {
    }

    public record TopError(String kind, String message, long count, Instant lastSeen) {
    }

    public record SlowNode(String workflowId, String nodeId, String nodeName, long runs, Long p50DurationMs, Long p95DurationMs) {
    }

    public record Insights(Instant from, Instant to, Duration bucket, String workflowId, Outcomes totals, List<Bucket> buckets,
                           List<WorkflowOutcomes> workflows, List<TopError> topErrors, List<SlowNode> slowestNodes) {
    }

    private final Pool pool;

    InsightsStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Insights> insights(Query query) {
        String where = " WHERE tenant_id = $1 AND finished_at >= $2 AND finished_at < $3"
                + (query.workflowId() == null ? "" : " AND workflow_id = $4");
        Tuple range = range(query);
        Uni<RowSet<Row>> buckets = pool.preparedQuery("SELECT date_bin($" + (range.size() + 1) + "::interval, finished_at, $2) AS bucket, "
                        + OUTCOMES + " FROM execution_history" + where + " GROUP BY GROUPING SETS ((1), ()) ORDER BY 1 NULLS FIRST")
                .execute(range(query).addValue(interval(query.bucket())));
        Uni<RowSet<Row>> workflows = query.workflowId() != null ? Uni.createFrom().nullItem()
                : pool.preparedQuery("SELECT workflow_id, " + OUTCOMES + " FROM execution_history" + where
                        + " GROUP BY workflow_id ORDER BY runs DESC, workflow_id LIMIT 20").execute(range);
        Uni<RowSet<Row>> errors = pool.preparedQuery("SELECT error_kind, error_message, count(*) AS count, max(finished_at) AS last_seen"
                        + " FROM execution_history" + where + " AND status = 'failed'"
                        + " GROUP BY error_kind, error_message ORDER BY count DESC, last_seen DESC LIMIT 10")
                .execute(range);
        Uni<RowSet<Row>> nodes = pool.preparedQuery("""
                        SELECT workflow_id, node_id, max(node_name) AS node_name, count(*) AS runs,
                               percentile_disc(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
                               percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
                        FROM execution_log
                        WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND event_type IN ('node.succeeded', 'node.failed')"""
                        + (query.workflowId() == null ? "" : " AND workflow_id = $4")
                        + " GROUP BY workflow_id, node_id ORDER BY p95 DESC NULLS LAST, runs DESC LIMIT 10")
                .execute(range);
        return Uni.combine().all().unis(buckets, workflows, errors, nodes).asTuple().map(all -> {
            Outcomes totals = new Outcomes(0, 0, 0, 0, null, null, null, null);
            List<Bucket> series = new ArrayList<>();
            for (Row row : all.getItem1()) {
                OffsetDateTime start = row.getOffsetDateTime("bucket");
                if (start == null) {
                    totals = outcomes(row);
                } else {
                    series.add(new Bucket(start.toInstant(), outcomes(row)));
                }
            }
            List<WorkflowOutcomes> perWorkflow = new ArrayList<>();
            if (all.getItem2() != null) {
                all.getItem2().forEach(row -> perWorkflow.add(new WorkflowOutcomes(row.getString("workflow_id"), outcomes(row))));
            }
            List<TopError> topErrors = new ArrayList<>();
            all.getItem3().forEach(row -> topErrors.add(new TopError(row.getString("error_kind"), row.getString("error_message"),
                    row.getLong("count"), row.getOffsetDateTime("last_seen").toInstant())));
            List<SlowNode> slowest = new ArrayList<>();
            all.getItem4().forEach(row -> slowest.add(new SlowNode(row.getString("workflow_id"), row.getString("node_id"),
                    row.getString("node_name"), row.getLong("runs"), row.getLong("p50"), row.getLong("p95"))));
            return new Insights(query.from().toInstant(), query.to().toInstant(), query.bucket(), query.workflowId(), totals, series,
                    perWorkflow, topErrors, slowest);
        });
    }

    private static Tuple range(Query query) {
        Tuple tuple = Tuple.of(query.tenant(), query.from(), query.to());
        return query.workflowId() == null ? tuple : tuple.addValue(query.workflowId());
    }

    private static Outcomes outcomes(Row row) {
        long runs = row.getLong("runs");
        long succeeded = row.getLong("succeeded");
        long failed = row.getLong("failed");
        return new Outcomes(runs, succeeded, failed, row.getLong("cancelled"), runs == 0 ? null : rate(succeeded, runs),
                runs == 0 ? null : rate(failed, runs), row.getLong("p50"), row.getLong("p95"));
    }

    private static double rate(long part, long whole) {
        return Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    private static io.vertx.pgclient.data.Interval interval(Duration bucket) {
        return io.vertx.pgclient.data.Interval.of(0, 0, (int) bucket.toDays(), bucket.toHoursPart(), bucket.toMinutesPart(),
                bucket.toSecondsPart());
    }
}
