package io.weft.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.EventType;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * What changed in an execution after a sequence, told as contract events built from the read model
 * (the executions and nodes projection). workflow-service stores no event stream of its own: the
 * history is logs-service's. So a stream that replays from a {@code Last-Event-ID} gets the
 * execution's state since then, not every event: the status event the execution is at (if newer),
 * with the nodes that changed up to it, and one {@code NodesProgressed} with the nodes that changed
 * after it. Each event's id is the newest sequence it covers, so ids stay monotonic per execution.
 * What the projection does not keep (console lines, retry times, the executor's id) is not in them;
 * logs-service's timeline has it.
 */
@ApplicationScoped
public class ExecutionChanges {

    /** An event for a stream: its sequence (the SSE id), CloudEvent type and JSON data. */
    public record StreamEvent(long sequence, String type, String data) {
    }

    private static final String CHANGES = """
            SELECT e.workflow_id, e.status, e.last_sequence, e.workflow_version, e.plan_hash, e.trigger_kind, e.started_at,
                   e.finished_at, e.updated_at, e.duration_ms, e.failed_node_id, e.error::text AS error, e.waiting::text AS waiting,
                   e.output_preview::text AS output_preview,
                   n.node_id, n.node_name, n.node_type, n.status AS node_status, n.attempts, n.started_at AS node_started_at,
                   n.finished_at AS node_finished_at, n.duration_ms AS node_duration_ms, n.item_count, n.error::text AS node_error,
                   n.output_preview::text AS node_output_preview, n.last_sequence AS node_sequence
            FROM executions e
            LEFT JOIN execution_nodes n ON n.tenant_id = e.tenant_id AND n.execution_id = e.id AND n.last_sequence > $3
            WHERE e.tenant_id = $1 AND e.id = $2 AND e.deleted_at IS NULL""";

    private final Pool pool;

    ExecutionChanges(Pool pool) {
        this.pool = pool;
    }

    /** The events that bring a client that has everything up to {@code afterSequence} up to date, in order. */
    public Uni<List<StreamEvent>> after(UUID tenant, String executionId, long afterSequence) {
        return pool.preparedQuery(CHANGES).execute(Tuple.of(tenant, executionId, afterSequence)).map(rows -> {
            Row execution = null;
            List<Changed> nodes = new ArrayList<>();
            for (Row row : rows) {
                execution = row;
                if (row.getString("node_id") != null) {
                    nodes.add(new Changed(row.getLong("node_sequence"), transition(row)));
                }
            }
            return execution == null ? List.<StreamEvent>of() : events(tenant, executionId, execution, nodes, afterSequence);
        });
    }

    private record Changed(long sequence, NodeTransition transition) {
    }

    private static List<StreamEvent> events(UUID tenant, String executionId, Row execution, List<Changed> nodes, long after) {
        nodes.sort(Comparator.comparingLong(Changed::sequence));
        long statusSequence = execution.getLong("last_sequence");
        List<NodeTransition> upToStatus = new ArrayList<>();
        List<NodeTransition> afterStatus = new ArrayList<>();
        long lastNodeSequence = 0;
        for (Changed node : nodes) {
            (node.sequence() <= statusSequence ? upToStatus : afterStatus).add(node.transition());
            lastNodeSequence = Math.max(lastNodeSequence, node.sequence());
        }
        String workflowId = execution.getString("workflow_id");
        Context context = new Context(tenant.toString(), executionId, workflowId);
        List<StreamEvent> events = new ArrayList<>();
        if (statusSequence > after) {
            ExecutionEvent status = statusEvent(context, execution, statusSequence, upToStatus);
            if (status instanceof ExecutionEvent.ExecutionStarted && !upToStatus.isEmpty()) {
                // a start carries no nodes: those it follows go just before it
                events.add(event(new ExecutionEvent.NodesProgressed(context.eventId(statusSequence - 1), context.tenant(), executionId,
                        workflowId, statusSequence - 1, upToStatus, instant(execution, "updated_at"))));
            }
            events.add(event(status));
        }
        if (!afterStatus.isEmpty()) {
            events.add(event(new ExecutionEvent.NodesProgressed(context.eventId(lastNodeSequence), context.tenant(), executionId,
                    workflowId, lastNodeSequence, afterStatus, instant(execution, "updated_at"))));
        }
        return events;
    }

    private record Context(String tenant, String executionId, String workflowId) {
        /** Not the executor's event id (the projection does not keep it): the execution and the sequence. */
        String eventId(long sequence) {
            return executionId + "/" + sequence;
        }
    }

    private static ExecutionEvent statusEvent(Context context, Row row, long sequence, List<NodeTransition> nodes) {
        String id = context.eventId(sequence);
        String tenant = context.tenant();
        String execution = context.executionId();
        String workflow = context.workflowId();
        Instant changedAt = instant(row, "updated_at");
        return switch (row.getString("status")) {
            case "succeeded" -> new ExecutionEvent.ExecutionSucceeded(id, tenant, execution, workflow, sequence, duration(row),
                    json(row.getString("output_preview")), nodes, instant(row, "finished_at"));
            case "failed" -> new ExecutionEvent.ExecutionFailed(id, tenant, execution, workflow, sequence, duration(row),
                    row.getString("failed_node_id"), read(row.getString("error"), ExecutionError.class), nodes, instant(row, "finished_at"));
            case "cancelled" -> {
                JsonNode reason = json(row.getString("error"));
                yield new ExecutionEvent.ExecutionCancelled(id, tenant, execution, workflow, sequence,
                        reason == null ? null : reason.path("requestedBy").asText(null),
                        reason == null ? null : reason.path("message").asText(null), nodes, instant(row, "finished_at"));
            }
            case "waiting", "paused" -> {
                JsonNode waiting = json(row.getString("waiting"));
                String resumeAt = waiting == null ? null : waiting.path("resumeAt").asText(null);
                yield new ExecutionEvent.ExecutionWaiting(id, tenant, execution, workflow, sequence,
                        waiting == null ? null : waiting.path("nodeId").asText(null),
                        waiting == null ? null : ExecutionEvent.WaitReason.valueOf(waiting.path("reason").asText()),
                        resumeAt == null ? null : Instant.parse(resumeAt),
                        waiting == null ? null : waiting.path("approvalId").asText(null), nodes, changedAt);
            }
            default -> {
                String trigger = row.getString("trigger_kind");
                Integer version = row.getInteger("workflow_version");
                yield new ExecutionEvent.ExecutionStarted(id, tenant, execution, workflow, sequence, version == null ? 0 : version,
                        row.getString("plan_hash"), trigger == null ? null : TriggerKind.valueOf(trigger), null, false,
                        instant(row, "started_at") == null ? changedAt : instant(row, "started_at"));
            }
        };
    }

    private static NodeTransition transition(Row row) {
        NodeTransition.Status status = NodeTransition.Status.valueOf(row.getString("node_status").toUpperCase(java.util.Locale.ROOT));
        return new NodeTransition(row.getString("node_id"), row.getString("node_name"), row.getString("node_type"), status,
                row.getInteger("attempts"), null, instant(row, "node_started_at"), instant(row, "node_finished_at"),
                row.getLong("node_duration_ms"), row.getInteger("item_count"), json(row.getString("node_output_preview")), null,
                read(row.getString("node_error"), ExecutionError.class), null, null, null);
    }

    private static StreamEvent event(ExecutionEvent event) {
        return new StreamEvent(event.sequence(), EventType.of(event).ceType(), WeftJson.jsonb(event));
    }

    private static long duration(Row row) {
        Long duration = row.getLong("duration_ms");
        return duration == null ? 0 : duration;
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static JsonNode json(String text) {
        return text == null ? null : read(text, JsonNode.class);
    }

    private static <T> T read(String text, Class<T> type) {
        try {
            return text == null ? null : WeftJson.mapper().readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("a stored execution is unreadable", e);
        }
    }
}
