package io.weft.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reads of the executions read model, and the one write the API makes there: a deletion. */
@ApplicationScoped
public class ExecutionStore {
    /** The statuses after which nothing more happens to an execution. */
    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    private static final String COLUMNS = "id, workflow_id, workflow_version, plan_hash, trigger_kind, status, requested_by,"
            + " created_at, started_at, finished_at, duration_ms, failed_node_id, error::text AS error, waiting::text AS waiting,"
            + " output_preview::text AS output_preview, retry_of";

    private final Pool pool;

    ExecutionStore(Pool pool) {
        this.pool = pool;
    }

    /** Filters of a list; null means any. */
    public record Filter(String workflowId, Set<String> statuses, OffsetDateTime from, OffsetDateTime to) {
    }

    public record Cursor(OffsetDateTime createdAt, String id) {
    }

    public Uni<List<ExecutionView.Summary>> list(UUID tenant, Filter filter, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM executions WHERE tenant_id = $1 AND deleted_at IS NULL");
        List<Object> parameters = new ArrayList<>(List.of(tenant));
        if (filter.workflowId() != null) {
            parameters.add(filter.workflowId());
            sql.append(" AND workflow_id = $").append(parameters.size());
        }
        if (filter.statuses() != null) {
            parameters.add(filter.statuses().toArray(String[]::new));
            sql.append(" AND status = ANY($").append(parameters.size()).append(")");
        }
        if (filter.from() != null) {
            parameters.add(filter.from());
            sql.append(" AND created_at >= $").append(parameters.size());
        }
        if (filter.to() != null) {
            parameters.add(filter.to());
            sql.append(" AND created_at < $").append(parameters.size());
        }
        if (after != null) {
            parameters.add(after.createdAt());
            parameters.add(after.id());
            sql.append(" AND (created_at, id) < ($").append(parameters.size() - 1).append(", $").append(parameters.size()).append(")");
        }
        parameters.add(limit);
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT $").append(parameters.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(parameters))
                .map(rows -> {
                    List<ExecutionView.Summary> page = new ArrayList<>();
                    rows.forEach(row -> page.add(summary(row)));
                    return page;
                });
    }

    public Uni<Optional<ExecutionView>> find(UUID tenant, String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM executions WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL")
                .execute(Tuple.of(tenant, id))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<ExecutionView>empty());
                    }
                    ExecutionView.Summary summary = summary(rows.iterator().next());
                    return pool.preparedQuery("""
                                    SELECT node_id, node_name, node_type, status, attempts, started_at, finished_at, duration_ms,
                                           item_count, error::text AS error, output_preview::text AS output_preview
                                    FROM execution_nodes WHERE tenant_id = $1 AND execution_id = $2
                                    ORDER BY started_at NULLS LAST, node_id""")
                            .execute(Tuple.of(tenant, id))
                            .map(nodes -> Optional.of(new ExecutionView(summary, nodes(nodes))));
                });
    }

    /** The execution's status, empty when the tenant has no such execution. */
    public Uni<Optional<String>> status(UUID tenant, String id) {
        return pool.preparedQuery("SELECT status FROM executions WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL")
                .execute(Tuple.of(tenant, id))
                .map(rows -> rows.rowCount() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString("status")));
    }

    public enum Deleted { DELETED, NOT_FOUND, NOT_FINISHED }

    /**
     * Deletes a finished execution's data. The row stays as a tombstone (without its data) so that
     * a late duplicate of one of its events cannot bring it back.
     */
    public Uni<Deleted> delete(UUID tenant, String id) {
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "SELECT status FROM executions WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE")
                .execute(Tuple.of(tenant, id))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Deleted.NOT_FOUND);
                    }
                    if (!TERMINAL.contains(rows.iterator().next().getString("status"))) {
                        return Uni.createFrom().item(Deleted.NOT_FINISHED);
                    }
                    return connection.preparedQuery("DELETE FROM execution_nodes WHERE tenant_id = $1 AND execution_id = $2")
                            .execute(Tuple.of(tenant, id))
                            .chain(() -> connection.preparedQuery("""
                                    UPDATE executions SET deleted_at = now(), error = NULL, waiting = NULL, output_preview = NULL,
                                           updated_at = now()
                                    WHERE tenant_id = $1 AND id = $2""").execute(Tuple.of(tenant, id)))
                            .replaceWith(Deleted.DELETED);
                }));
    }

    private static ExecutionView.Summary summary(Row row) {
        return new ExecutionView.Summary(row.getString("id"), row.getString("workflow_id"), row.getInteger("workflow_version"),
                row.getString("plan_hash"), row.getString("trigger_kind"), row.getString("status"), row.getString("requested_by"),
                instant(row, "created_at"), instant(row, "started_at"), instant(row, "finished_at"), row.getLong("duration_ms"),
                row.getString("failed_node_id"), json(row.getString("error")), json(row.getString("waiting")),
                json(row.getString("output_preview")), row.getString("retry_of"));
    }

    private static List<ExecutionView.Node> nodes(RowSet<Row> rows) {
        List<ExecutionView.Node> nodes = new ArrayList<>();
        for (Row row : rows) {
            nodes.add(new ExecutionView.Node(row.getString("node_id"), row.getString("node_name"), row.getString("node_type"),
                    row.getString("status"), row.getInteger("attempts"), instant(row, "started_at"), instant(row, "finished_at"),
                    row.getLong("duration_ms"), row.getInteger("item_count"), json(row.getString("error")),
                    json(row.getString("output_preview"))));
        }
        return nodes;
    }

    private static java.time.Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : WeftJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("a stored execution is unreadable", e);
        }
    }

    public static OffsetDateTime utc(java.time.Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
