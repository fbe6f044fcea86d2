package io.weft.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.json.WeftJson;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Folds one execution event into the read model. Every event carries the execution's sequence;
 * what describes the current state (status, error, previews, end) is taken only from an event
 * newer than the row's last one, what is known once (version, plan, first start) is kept from
 * whichever event brought it first. Duplicates and reordered events therefore change nothing
 * they should not.
 */
final class ExecutionProjection {
    private static final String NEWER = "excluded.last_sequence > e.last_sequence";

    private static final String UPSERT_EXECUTION = """
            INSERT INTO executions AS e (tenant_id, id, workflow_id, created_at, last_sequence, status, workflow_version, plan_hash,
                                         trigger_kind, started_at, finished_at, duration_ms, failed_node_id, error, waiting,
                                         output_preview)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text::jsonb, $15::text::jsonb, $16::text::jsonb)
            ON CONFLICT (tenant_id, id) DO UPDATE SET
                workflow_version = coalesce(e.workflow_version, excluded.workflow_version),
                plan_hash = coalesce(e.plan_hash, excluded.plan_hash),
                trigger_kind = coalesce(e.trigger_kind, excluded.trigger_kind),
                created_at = least(e.created_at, excluded.created_at),
                started_at = least(e.started_at, excluded.started_at),
                status = CASE WHEN %1$s THEN excluded.status ELSE e.status END,
                finished_at = CASE WHEN %1$s THEN excluded.finished_at ELSE e.finished_at END,
                duration_ms = CASE WHEN %1$s THEN excluded.duration_ms ELSE e.duration_ms END,
                failed_node_id = CASE WHEN %1$s THEN excluded.failed_node_id ELSE e.failed_node_id END,
                error = CASE WHEN %1$s THEN excluded.error ELSE e.error END,
                waiting = CASE WHEN %1$s THEN excluded.waiting ELSE e.waiting END,
                output_preview = CASE WHEN %1$s THEN excluded.output_preview ELSE e.output_preview END,
                last_sequence = greatest(e.last_sequence, excluded.last_sequence),
                updated_at = now()
            WHERE e.deleted_at IS NULL""".formatted(NEWER);

    /** A node event needs its execution's row; one that does not exist yet is known to be running. */
    private static final String ENSURE_EXECUTION = """
            INSERT INTO executions (tenant_id, id, workflow_id, created_at, status) VALUES ($1, $2, $3, $4, 'running')
            ON CONFLICT (tenant_id, id) DO NOTHING""";

    private static final String UPSERT_NODE = """
            INSERT INTO execution_nodes AS e (tenant_id, execution_id, node_id, node_name, node_type, status, attempts, started_at,
                                              finished_at, duration_ms, item_count, error, output_preview, last_sequence)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text::jsonb, $13::text::jsonb, $14
            FROM executions x WHERE x.tenant_id = $1 AND x.id = $2 AND x.deleted_at IS NULL
            ON CONFLICT (tenant_id, execution_id, node_id) DO UPDATE SET
                node_name = coalesce(e.node_name, excluded.node_name),
                node_type = coalesce(e.node_type, excluded.node_type),
                attempts = greatest(e.attempts, excluded.attempts),
                started_at = least(e.started_at, excluded.started_at),
                status = CASE WHEN %1$s THEN excluded.status ELSE e.status END,
                finished_at = CASE WHEN %1$s THEN excluded.finished_at ELSE e.finished_at END,
                duration_ms = CASE WHEN %1$s THEN excluded.duration_ms ELSE e.duration_ms END,
                item_count = CASE WHEN %1$s THEN excluded.item_count ELSE e.item_count END,
                error = CASE WHEN %1$s THEN excluded.error ELSE e.error END,
                output_preview = CASE WHEN %1$s THEN excluded.output_preview ELSE e.output_preview END,
                last_sequence = greatest(e.last_sequence, excluded.last_sequence)""".formatted(NEWER);

    private ExecutionProjection() {
    }

    /** Applies the event on {@code connection} (inside the caller's transaction). */
    static Uni<Void> apply(SqlConnection connection, UUID tenant, ExecutionEvent event) {
        return switch (event) {
            case ExecutionEvent.ExecutionStarted started -> execution(connection, tenant, event, "running", started.workflowVersion(),
                    started.planHash(), started.trigger() == null ? null : started.trigger().name(), started.occurredAt(),
                    null, null, null, null, null, null);
            case ExecutionEvent.ExecutionWaiting waiting -> execution(connection, tenant, event,
                    waiting.reason() == ExecutionEvent.WaitReason.PAUSED ? "paused" : "waiting", null, null, null, null, null, null,
                    null, null, waiting(waiting), null);
            case ExecutionEvent.ExecutionSucceeded succeeded -> execution(connection, tenant, event, "succeeded", null, null, null, null,
                    succeeded.occurredAt(), succeeded.durationMs(), null, null, null, succeeded.outputPreview());
            case ExecutionEvent.ExecutionFailed failed -> execution(connection, tenant, event, "failed", null, null, null, null,
                    failed.occurredAt(), failed.durationMs(), failed.failedNodeId(), WeftJson.mapper().valueToTree(failed.error()),
                    null, null);
            case ExecutionEvent.ExecutionCancelled cancelled -> execution(connection, tenant, event, "cancelled", null, null, null,
                    null, cancelled.occurredAt(), null, null, cancelled(cancelled), null, null);
            case ExecutionEvent.NodeStarted started -> node(connection, tenant, event, started.nodeId(), started.nodeName(),
                    started.nodeType(), "running", started.attempt(), started.occurredAt(), null, null, null, null, null);
            case ExecutionEvent.NodeRetrying retrying -> node(connection, tenant, event, retrying.nodeId(), retrying.nodeName(), null,
                    "retrying", retrying.failedAttempt(), null, null, null, null, WeftJson.mapper().valueToTree(retrying.error()), null);
            case ExecutionEvent.NodeSucceeded succeeded -> node(connection, tenant, event, succeeded.nodeId(), succeeded.nodeName(),
                    null, "succeeded", succeeded.attempt(), null, succeeded.occurredAt(), succeeded.durationMs(),
                    succeeded.itemCount(), null, succeeded.outputPreview());
            case ExecutionEvent.NodeFailed failed -> node(connection, tenant, event, failed.nodeId(), failed.nodeName(), null,
                    "failed", failed.attempt(), null, failed.occurredAt(), failed.durationMs(), null,
                    WeftJson.mapper().valueToTree(failed.error()), null);
            case ExecutionEvent.WebhookResponded responded -> Uni.createFrom().voidItem();
        };
    }

    private static Uni<Void> execution(SqlConnection connection, UUID tenant, ExecutionEvent event, String status, Integer version,
                                       String planHash, String trigger, Instant startedAt, Instant finishedAt, Long durationMs,
                                       String failedNodeId, JsonNode error, JsonNode waiting, JsonNode outputPreview) {
        return connection.preparedQuery(UPSERT_EXECUTION)
                .execute(Tuple.from(Arrays.asList(tenant, event.executionId(), event.workflowId(),
                        ExecutionStore.utc(event.occurredAt()), event.sequence(), status, version, planHash, trigger,
                        ExecutionStore.utc(startedAt), ExecutionStore.utc(finishedAt), durationMs, failedNodeId, text(error),
                        text(waiting), text(outputPreview))))
                .replaceWithVoid();
    }

    private static Uni<Void> node(SqlConnection connection, UUID tenant, ExecutionEvent event, String nodeId, String name,
                                  String type, String status, int attempt, Instant startedAt, Instant finishedAt, Long durationMs,
                                  Integer itemCount, JsonNode error, JsonNode outputPreview) {
        return connection.preparedQuery(ENSURE_EXECUTION)
                .execute(Tuple.of(tenant, event.executionId(), event.workflowId(), ExecutionStore.utc(event.occurredAt())))
                .chain(() -> connection.preparedQuery(UPSERT_NODE).execute(Tuple.from(Arrays.asList(tenant, event.executionId(),
                        nodeId, name, type, status, attempt, ExecutionStore.utc(startedAt), ExecutionStore.utc(finishedAt), durationMs,
                        itemCount, text(error), text(outputPreview), event.sequence()))))
                .replaceWithVoid();
    }

    private static JsonNode waiting(ExecutionEvent.ExecutionWaiting waiting) {
        ObjectNode node = WeftJson.mapper().createObjectNode().put("nodeId", waiting.nodeId()).put("reason", waiting.reason().name());
        if (waiting.resumeAt() != null) {
            node.put("resumeAt", waiting.resumeAt().toString());
        }
        if (waiting.approvalId() != null) {
            node.put("approvalId", waiting.approvalId());
        }
        return node;
    }

    private static JsonNode cancelled(ExecutionEvent.ExecutionCancelled cancelled) {
        ObjectNode node = WeftJson.mapper().createObjectNode().put("kind", "CANCELLED")
                .put("message", cancelled.reason() == null ? "cancelled" : cancelled.reason());
        if (cancelled.requestedBy() != null) {
            node.put("requestedBy", cancelled.requestedBy());
        }
        return node;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }
}
