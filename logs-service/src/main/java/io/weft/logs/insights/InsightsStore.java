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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Insights over whole hours, read from statistics (V3–V5) — runs, outcomes and duration histograms
 * per workflow by hour and by UTC day, and per node by UTC day (slowest nodes cover the whole days the range
 * touches) — so a week of a busy tenant is thousands of rows however many events it had;
 * percentiles come from the histograms ({@link DurationHistogram}). Top errors are read from the
 * failed executions themselves.
 */
@ApplicationScoped
public class InsightsStore {
    /** Buckets are aligned to this instant (a midnight UTC), so daily buckets are UTC days. */
    private static final OffsetDateTime ORIGIN = OffsetDateTime.parse("2000-01-01T00:00:00Z");

    /** @param from and {@code to} whole hours */
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

    public record SlowNode(String workflowId, String nodeId, String nodeName, long runs, long failures, Long p50DurationMs,
                           Long p95DurationMs) {
    }

    /** @param bucket ISO-8601, e.g. {@code PT24H} */
    public record Insights(Instant from, Instant to, String bucket, String workflowId, Outcomes totals, List<Bucket> buckets,
                           List<WorkflowOutcomes> workflows, List<TopError> topErrors, List<SlowNode> slowestNodes) {
    }

    private final Pool pool;

    InsightsStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Insights> insights(Query query) {
        String workflow = query.workflowId() == null ? "" : " AND workflow_id = $4";
        Uni<RowSet<Row>> outcomes = series(query);
        Uni<RowSet<Row>> workflows = query.workflowId() != null ? Uni.createFrom().nullItem() : perWorkflow(query);
        Uni<RowSet<Row>> nodes = pool.preparedQuery("SELECT workflow_id, node_id, bucket, sum(runs) AS runs, sum(failures) AS failures,"
                        + " max(node_name) AS node_name FROM node_stats"
                        + " WHERE tenant_id = $1 AND day > $2::timestamptz - interval '1 day' AND day < $3" + workflow + " GROUP BY 1, 2, 3")
                .execute(range(query));
        Uni<RowSet<Row>> errors = pool.preparedQuery("SELECT error_kind, error_message, count(*) AS count, max(finished_at) AS last_seen"
                        + " FROM execution_history WHERE tenant_id = $1 AND finished_at >= $2 AND finished_at < $3" + workflow
                        + " AND status = 'failed' GROUP BY error_kind, error_message ORDER BY count DESC, last_seen DESC LIMIT 10")
                .execute(range(query));
        return Uni.combine().all().unis(outcomes, workflows, nodes, errors).asTuple().map(all -> {
            Tally totals = new Tally();
            Map<Instant, Tally> buckets = new TreeMap<>();
            for (Row row : all.getItem1()) {
                int bucket = row.getInteger("bucket");
                long runs = row.getLong("runs");
                String status = row.getString("status");
                totals.add(status, bucket, runs);
                buckets.computeIfAbsent(row.getOffsetDateTime("start").toInstant(), start -> new Tally()).add(status, bucket, runs);
            }
            Map<String, Tally> workflowTallies = new TreeMap<>();
            if (all.getItem2() != null) {
                for (Row row : all.getItem2()) {
                    workflowTallies.computeIfAbsent(row.getString("workflow_id"), id -> new Tally())
                            .add(row.getString("status"), row.getInteger("bucket"), row.getLong("runs"));
                }
            }
            List<Bucket> series = buckets.entrySet().stream().map(e -> new Bucket(e.getKey(), e.getValue().outcomes())).toList();
            List<WorkflowOutcomes> busiest = workflowTallies.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<String, Tally> e) -> -e.getValue().runs).thenComparing(Map.Entry::getKey))
                    .limit(20).map(e -> new WorkflowOutcomes(e.getKey(), e.getValue().outcomes())).toList();
            List<TopError> topErrors = new ArrayList<>();
            all.getItem4().forEach(row -> topErrors.add(new TopError(row.getString("error_kind"), row.getString("error_message"),
                    row.getLong("count"), row.getOffsetDateTime("last_seen").toInstant())));
            return new Insights(query.from().toInstant(), query.to().toInstant(), query.bucket().toString(), query.workflowId(),
                    totals.outcomes(), series, busiest, topErrors, slowest(all.getItem3()));
        });
    }

    /** Runs by bucket start, status and duration bucket. */
    private Uni<RowSet<Row>> series(Query query) {
        List<Object> args = new ArrayList<>();
        String rows = statsRows(query, query.bucket().toHours() % 24 == 0, args);
        args.add(interval(query.bucket()));
        args.add(ORIGIN);
        return pool.preparedQuery("SELECT date_bin($" + (args.size() - 1) + "::interval, t, $" + args.size() + ") AS start, status,"
                        + " bucket, sum(runs) AS runs FROM (" + rows + ") s GROUP BY 1, 2, 3")
                .execute(Tuple.from(args));
    }

    /** Runs by workflow, status and duration bucket (whatever the bucket size, from the daily statistics where it can). */
    private Uni<RowSet<Row>> perWorkflow(Query query) {
        List<Object> args = new ArrayList<>();
        String rows = statsRows(query, true, args);
        return pool.preparedQuery("SELECT workflow_id, status, bucket, sum(runs) AS runs FROM (" + rows + ") s GROUP BY 1, 2, 3")
                .execute(Tuple.from(args));
    }

    /**
     * The statistics rows of the range ({@code t, workflow_id, status, bucket, runs}): with {@code byDay},
     * the whole UTC days inside the range from the daily statistics and only its partial days from the
     * hourly ones. Fills {@code args} from $1.
     */
    private static String statsRows(Query query, boolean byDay, List<Object> args) {
        OffsetDateTime firstDay = query.from().truncatedTo(ChronoUnit.DAYS);
        firstDay = firstDay.equals(query.from()) ? firstDay : firstDay.plusDays(1);
        OffsetDateTime lastDay = query.to().truncatedTo(ChronoUnit.DAYS);
        args.addAll(List.of(query.tenant(), query.from(), query.to()));
        String workflow = "";
        if (query.workflowId() != null) {
            args.add(query.workflowId());
            workflow = " AND workflow_id = $" + args.size();
        }
        if (!byDay || !firstDay.isBefore(lastDay)) {
            return "SELECT hour AS t, workflow_id, status, bucket, runs FROM execution_stats WHERE tenant_id = $1 AND hour >= $2"
                    + " AND hour < $3" + workflow;
        }
        args.add(firstDay);
        args.add(lastDay);
        int first = args.size() - 1;
        int last = args.size();
        return "SELECT day AS t, workflow_id, status, bucket, runs FROM execution_stats_daily WHERE tenant_id = $1 AND day >= $" + first
                + " AND day < $" + last + workflow
                + " UNION ALL SELECT hour, workflow_id, status, bucket, runs FROM execution_stats WHERE tenant_id = $1"
                + " AND ((hour >= $2 AND hour < $" + first + ") OR (hour >= $" + last + " AND hour < $3))" + workflow;
    }

    /** The ten nodes with the highest p95 duration. */
    private static List<SlowNode> slowest(RowSet<Row> rows) {
        record NodeKey(String workflowId, String nodeId) {
        }
        final class NodeTally {
            final DurationHistogram durations = new DurationHistogram();
            long runs;
            long failures;
            String name;
        }
        Map<NodeKey, NodeTally> nodes = new LinkedHashMap<>();
        for (Row row : rows) {
            NodeTally tally = nodes.computeIfAbsent(new NodeKey(row.getString("workflow_id"), row.getString("node_id")), key -> new NodeTally());
            tally.durations.add(row.getInteger("bucket"), row.getLong("runs"));
            tally.runs += row.getLong("runs");
            tally.failures += row.getLong("failures");
            tally.name = tally.name != null ? tally.name : row.getString("node_name");
        }
        return nodes.entrySet().stream()
                .map(e -> new SlowNode(e.getKey().workflowId(), e.getKey().nodeId(), e.getValue().name, e.getValue().runs,
                        e.getValue().failures, e.getValue().durations.percentile(0.5), e.getValue().durations.percentile(0.95)))
                .sorted(Comparator.comparing((SlowNode node) -> node.p95DurationMs() == null ? -1 : node.p95DurationMs()).reversed()
                        .thenComparing(Comparator.comparingLong(SlowNode::runs).reversed()))
                .limit(10)
                .toList();
    }

    /** Runs by outcome and their durations, for one bucket, one workflow or the whole range. */
    private static final class Tally {
        final DurationHistogram durations = new DurationHistogram();
        long runs;
        long succeeded;
        long failed;
        long cancelled;

        void add(String status, int bucket, long count) {
            runs += count;
            switch (status) {
                case "succeeded" -> succeeded += count;
                case "failed" -> failed += count;
                default -> cancelled += count;
            }
            durations.add(bucket, count);
        }

        Outcomes outcomes() {
            return new Outcomes(runs, succeeded, failed, cancelled, runs == 0 ? null : rate(succeeded, runs),
                    runs == 0 ? null : rate(failed, runs), durations.percentile(0.5), durations.percentile(0.95));
        }
    }

    private static Tuple range(Query query) {
        Tuple tuple = Tuple.of(query.tenant(), query.from(), query.to());
        return query.workflowId() == null ? tuple : tuple.addValue(query.workflowId());
    }

    private static double rate(long part, long whole) {
        return Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    private static io.vertx.pgclient.data.Interval interval(Duration bucket) {
        return io.vertx.pgclient.data.Interval.of(0, 0, (int) bucket.toDays(), bucket.toHoursPart(), bucket.toMinutesPart(),
                bucket.toSecondsPart());
    }
}
