package io.weft.logs.executions;

import static io.weft.logs.executions.HistoryStore.instant;
import static io.weft.logs.executions.HistoryStore.map;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the logs hold about one execution: its events in order, and its dead letters. */
@ApplicationScoped
public class TimelineStore {
    /** An execution's events beyond this are not shown (an execution of that many steps is its own problem). */
    static final int MAX_EVENTS = 10_000;

    public record Event(long sequence, String type, Instant occurredAt, String nodeId, String nodeName, String nodeType, Integer attempt,
                        Long durationMs, Integer itemCount, String errorKind, String errorMessage, Map<String, Object> facts,
                        List<Object> console, Map<String, Object> redacted) {
    }

    public record DeadLetter(String reason, String message, String payloadPreview, Integer attempts, Instant occurredAt) {
    }

    public record Found(String workflowId, List<Event> events, List<DeadLetter> deadLetters) {
    }

    private final Pool pool;

    TimelineStore(Pool pool) {
        this.pool = pool;
    }

    /** Null when the logs hold nothing of the execution (for this tenant). */
    public Uni<Found> find(UUID tenant, String executionId) {
        java.util.concurrent.atomic.AtomicReference<String> workflowId = new java.util.concurrent.atomic.AtomicReference<>();
        Uni<List<Event>> events = pool.preparedQuery("""
                        SELECT sequence, event_type, occurred_at, workflow_id, node_id, node_name, node_type, attempt, duration_ms, item_count,
                               error_kind, error_message, facts, console, redacted
                        FROM execution_log WHERE tenant_id = $1 AND execution_id = $2 ORDER BY sequence, part LIMIT $3""")
                .execute(Tuple.of(tenant, executionId, MAX_EVENTS))
                .map(rows -> {
                    List<Event> found = new ArrayList<>();
                    for (Row row : rows) {
                        workflowId.compareAndSet(null, row.getString("workflow_id"));
                        io.vertx.core.json.JsonArray console = row.getJsonArray("console");
                        found.add(new Event(row.getLong("sequence"), row.getString("event_type"),
                                instant(row.getOffsetDateTime("occurred_at")), row.getString("node_id"), row.getString("node_name"),
                                row.getString("node_type"), row.getInteger("attempt"), row.getLong("duration_ms"),
                                row.getInteger("item_count"), row.getString("error_kind"), row.getString("error_message"),
                                map(row.getJsonObject("facts")), console == null ? null : console.getList(), map(row.getJsonObject("redacted"))));
                    }
                    return found;
                });
        Uni<List<DeadLetter>> letters = pool.preparedQuery("""
                        SELECT reason, message, payload_preview, attempts, occurred_at FROM dead_letters
                        WHERE tenant_id = $1 AND execution_id = $2 ORDER BY occurred_at LIMIT 100""")
                .execute(Tuple.of(tenant, executionId))
                .map(rows -> {
                    List<DeadLetter> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(new DeadLetter(row.getString("reason"), row.getString("message"), row.getString("payload_preview"),
                                row.getInteger("attempts"), instant(row.getOffsetDateTime("occurred_at"))));
                    }
                    return found;
                });
        return Uni.combine().all().unis(events, letters).asTuple().map(all -> {
            if (all.getItem1().isEmpty() && all.getItem2().isEmpty()) {
                return null;
            }
            return new Found(workflowId.get(), all.getItem1(), all.getItem2());
        });
    }
}
