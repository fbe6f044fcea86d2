package io.weft.logs.executions;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.logs.api.Keyset;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Finished executions of a tenant, newest first ({@code execution_history}). */
@ApplicationScoped
public class HistoryStore {
    static final Set<String> STATUSES = Set.of("succeeded", "failed", "cancelled");

    /** @param from inclusive, {@code to} exclusive, on the finish time */
    public record Filter(String workflowId, Set<String> statuses, OffsetDateTime from, OffsetDateTime to) {
    }

    public record Entry(String executionId, String workflowId, String status, Instant startedAt, Instant finishedAt, Long durationMs,
                        String failedNodeId, String errorKind, String errorMessage, Map<String, Object> redacted) {
    }

    private final Pool pool;

    HistoryStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Entry>> page(UUID tenant, Filter filter, Keyset after, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT execution_id, workflow_id, status, started_at, finished_at, duration_ms, failed_node_id, error_kind, error_message,
                       redacted
                FROM execution_history WHERE tenant_id = $1""");
        List<Object> args = new ArrayList<>(List.of(tenant));
        if (filter.workflowId() != null) {
            args.add(filter.workflowId());
            sql.append(" AND workflow_id = $").append(args.size());
        }
        if (filter.statuses() != null) {
            args.add(filter.statuses().toArray(String[]::new));
            sql.append(" AND status = ANY($").append(args.size()).append(")");
        }
        if (filter.from() != null) {
            args.add(filter.from());
            sql.append(" AND finished_at >= $").append(args.size());
        }
        if (filter.to() != null) {
            args.add(filter.to());
            sql.append(" AND finished_at < $").append(args.size());
        }
        if (after != null) {
            args.add(after.at());
            args.add(after.id());
            sql.append(" AND (finished_at, execution_id) < ($").append(args.size() - 1).append(", $").append(args.size()).append(")");
        }
        args.add(limit);
        sql.append(" ORDER BY finished_at DESC, execution_id DESC LIMIT $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<Entry> entries = new ArrayList<>();
            for (Row row : rows) {
                entries.add(new Entry(row.getString("execution_id"), row.getString("workflow_id"), row.getString("status"),
                        instant(row.getOffsetDateTime("started_at")), instant(row.getOffsetDateTime("finished_at")),
                        row.getLong("duration_ms"), row.getString("failed_node_id"), row.getString("error_kind"),
                        row.getString("error_message"), map(row.getJsonObject("redacted"))));
            }
            return entries;
        });
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    static Map<String, Object> map(io.vertx.core.json.JsonObject json) {
        return json == null ? null : json.getMap();
    }
}
