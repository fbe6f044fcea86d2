package io.weft.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.json.WeftJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Folds a batch of execution events into the read model with two statements: one upsert of every
 * execution the batch touches, one of every node. Every event carries the execution's sequence;
 * what describes the current state (status, error, previews, end) is taken only from an event
 * newer than what the row (or the batch so far) has seen; what is known once (version, plan,
 * first start) is kept from whichever event brought it first. The batch is folded in memory by
 * the same rules the statements apply against the stored rows, so duplicated and reordered
 * events change nothing they should not, within a batch or across batches.
 */
final class ExecutionProjection {
    private static final String NEWER = "excluded.last_sequence > e.last_sequence";
    /**
     * The row's execution, if not deleted: one index probe per row. (A join let the planner hash the
     * whole executions table for every batch once it grew — a batch of a few events then cost a scan
     * of every execution.)
     */
    private static final String LIVE_EXECUTION = "SELECT 1 FROM executions x WHERE x.tenant_id = c.tenant_id AND x.id = c.execution_id"
            + " AND x.deleted_at IS NULL LIMIT 1";

    private static final String UPSERT_EXECUTIONS = """
            INSERT INTO executions AS e (tenant_id, id, workflow_id, created_at, last_sequence, status, workflow_version, plan_hash,
                                         trigger_kind, started_at, finished_at, duration_ms, failed_node_id, error, waiting,
                                         output_preview)
            SELECT c.tenant_id, c.id, c.workflow_id, c.created_at, c.last_sequence, c.status, c.workflow_version, c.plan_hash,
                   c.trigger_kind, c.started_at, c.finished_at, c.duration_ms, c.failed_node_id, c.error::jsonb, c.waiting::jsonb,
                   c.output_preview::jsonb
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::int8[], $6::text[], $7::int4[], $8::text[],
                        $9::text[], $10::timestamptz[], $11::timestamptz[], $12::int8[], $13::text[], $14::text[], $15::text[],
                        $16::text[])
                 AS c(tenant_id, id, workflow_id, created_at, last_sequence, status, workflow_version, plan_hash, trigger_kind,
                      started_at, finished_at, duration_ms, failed_node_id, error, waiting, output_preview)
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

    /** Nodes of executions that are not deleted (the executions were upserted just before). */
    private static final String UPSERT_NODES = """
            INSERT INTO execution_nodes AS e (tenant_id, execution_id, node_id, node_name, node_type, status, attempts, started_at,
                                              finished_at, duration_ms, item_count, error, output_preview, last_sequence)
            SELECT c.tenant_id, c.execution_id, c.node_id, c.node_name, c.node_type, c.status, c.attempts, c.started_at,
                   c.finished_at, c.duration_ms, c.item_count, c.error::jsonb, c.output_preview::jsonb, c.last_sequence
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int4[], $8::timestamptz[],
                        $9::timestamptz[], $10::int8[], $11::int4[], $12::text[], $13::text[], $14::int8[])
                 AS c(tenant_id, execution_id, node_id, node_name, node_type, status, attempts, started_at, finished_at,
                      duration_ms, item_count, error, output_preview, last_sequence)
            CROSS JOIN LATERAL (%2$s) x
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
                last_sequence = greatest(e.last_sequence, excluded.last_sequence)""".formatted(NEWER, LIVE_EXECUTION);

    private final Map<List<Object>, ExecutionRow> executions = new LinkedHashMap<>();
    private final Map<List<Object>, NodeRow> nodes = new LinkedHashMap<>();

    /** What the batch says about one execution; {@code sequence} 0 when only its nodes were heard of (then it is running). */
    private static final class ExecutionRow {
        UUID tenant;
        String id;
        String workflowId;
        Instant createdAt;
        long sequence;
        State state = new State("running", null, null, null, null, null, null);
        Integer version;
        String planHash;
        String trigger;
        Instant startedAt;
    }

    private record State(String status, Instant finishedAt, Long durationMs, String failedNodeId, String error, String waiting,
                         String outputPreview) {
    }

    private static final class NodeRow {
        UUID tenant;
        String executionId;
        String nodeId;
        String name;
        String type;
        int attempts;
        Instant startedAt;
        long sequence;
        NodeState state;
    }

    private record NodeState(String status, Instant finishedAt, Long durationMs, Integer itemCount, String error, String outputPreview) {
    }

    /** Folds the event in. */
    void add(UUID tenant, ExecutionEvent event) {
        if (event instanceof ExecutionEvent.WebhookResponded) {
            // The answer of a synchronous webhook is for its caller only; it changes no state.
            return;
        }
        ExecutionRow execution = executions.computeIfAbsent(List.of(tenant, event.executionId()), key -> {
            ExecutionRow row = new ExecutionRow();
            row.tenant = tenant;
            row.id = event.executionId();
            row.workflowId = event.workflowId();
            row.createdAt = event.occurredAt();
            return row;
        });
        execution.createdAt = earliest(execution.createdAt, event.occurredAt());
        switch (event) {
            case ExecutionEvent.ExecutionStarted started -> {
                execution.version = first(execution.version, started.workflowVersion());
                execution.planHash = first(execution.planHash, started.planHash());
                execution.trigger = first(execution.trigger, started.trigger() == null ? null : started.trigger().name());
                execution.startedAt = earliest(execution.startedAt, started.occurredAt());
                state(execution, event, new State("running", null, null, null, null, null, null));
            }
            case ExecutionEvent.ExecutionWaiting waiting -> state(execution, event, new State(
                    waiting.reason() == ExecutionEvent.WaitReason.PAUSED ? "paused" : "waiting", null, null, null, null,
                    text(waiting(waiting)), null));
            case ExecutionEvent.ExecutionSucceeded succeeded -> state(execution, event, new State("succeeded", succeeded.occurredAt(),
                    succeeded.durationMs(), null, null, null, text(succeeded.outputPreview())));
            case ExecutionEvent.ExecutionFailed failed -> state(execution, event, new State("failed", failed.occurredAt(),
                    failed.durationMs(), failed.failedNodeId(), text(WeftJson.mapper().valueToTree(failed.error())), null, null));
            case ExecutionEvent.ExecutionCancelled cancelled -> state(execution, event, new State("cancelled", cancelled.occurredAt(),
                    null, null, text(cancelled(cancelled)), null, null));
            case ExecutionEvent.NodesProgressed progressed -> {
                // the execution is running; its status changes only with the events that say so
            }
            case ExecutionEvent.WebhookResponded responded -> {
                // left out above
            }
        }
        for (NodeTransition transition : event.nodes()) {
            node(tenant, event, transition);
        }
    }

    private static void state(ExecutionRow execution, ExecutionEvent event, State state) {
        if (event.sequence() > execution.sequence) {
            execution.sequence = event.sequence();
            execution.state = state;
        }
    }

    /**
     * Folds one transition of the event's nodes in. Transitions of one event are in the order they
     * happened, so a later one of the same event wins over an earlier one ({@code >=}).
     */
    private void node(UUID tenant, ExecutionEvent event, NodeTransition transition) {
        NodeRow node = nodes.computeIfAbsent(List.of(tenant, event.executionId(), transition.nodeId()), key -> {
            NodeRow row = new NodeRow();
            row.tenant = tenant;
            row.executionId = event.executionId();
            row.nodeId = transition.nodeId();
            return row;
        });
        node.name = first(node.name, transition.nodeName());
        node.type = first(node.type, transition.nodeType());
        node.attempts = Math.max(node.attempts, transition.attempt());
        node.startedAt = earliest(node.startedAt, transition.startedAt());
        if (node.state == null || event.sequence() >= node.sequence) {
            node.sequence = event.sequence();
            node.state = nodeState(transition);
        }
    }

    private static NodeState nodeState(NodeTransition transition) {
        String error = transition.error() == null ? null : text(WeftJson.mapper().valueToTree(transition.error()));
        return switch (transition.status()) {
            case RUNNING -> new NodeState("running", null, null, null, null, null);
            case RETRYING -> new NodeState("retrying", null, null, null, error, null);
            case SUCCEEDED -> new NodeState("succeeded", transition.finishedAt(), transition.durationMs(), transition.itemCount(), null,
                    text(transition.outputPreview()));
            case FAILED -> new NodeState("failed", transition.finishedAt(), transition.durationMs(), null, error, null);
        };
    }

    /** Writes the batch on {@code connection} (inside the caller's transaction). */
    Uni<Void> write(SqlConnection connection) {
        if (executions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ExecutionRow> rows = List.copyOf(executions.values());
        Uni<?> written = connection.preparedQuery(UPSERT_EXECUTIONS).execute(Tuple.from(Arrays.asList(
                column(rows, r -> r.tenant, UUID[]::new), column(rows, r -> r.id, String[]::new),
                column(rows, r -> r.workflowId, String[]::new), column(rows, r -> utc(r.createdAt), OffsetDateTime[]::new),
                column(rows, r -> r.sequence, Long[]::new), column(rows, r -> r.state.status(), String[]::new),
                column(rows, r -> r.version, Integer[]::new), column(rows, r -> r.planHash, String[]::new),
                column(rows, r -> r.trigger, String[]::new), column(rows, r -> utc(r.startedAt), OffsetDateTime[]::new),
                column(rows, r -> utc(r.state.finishedAt()), OffsetDateTime[]::new),
                column(rows, r -> r.state.durationMs(), Long[]::new), column(rows, r -> r.state.failedNodeId(), String[]::new),
                column(rows, r -> r.state.error(), String[]::new), column(rows, r -> r.state.waiting(), String[]::new),
                column(rows, r -> r.state.outputPreview(), String[]::new))));
        return written.chain(() -> writeNodes(connection)).replaceWithVoid();
    }

    private Uni<Void> writeNodes(SqlConnection connection) {
        if (nodes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<NodeRow> nodeRows = List.copyOf(nodes.values());
        return connection.preparedQuery(UPSERT_NODES).execute(Tuple.from(Arrays.asList(
                column(nodeRows, n -> n.tenant, UUID[]::new), column(nodeRows, n -> n.executionId, String[]::new),
                column(nodeRows, n -> n.nodeId, String[]::new), column(nodeRows, n -> n.name, String[]::new),
                column(nodeRows, n -> n.type, String[]::new), column(nodeRows, n -> n.state.status(), String[]::new),
                column(nodeRows, n -> n.attempts, Integer[]::new), column(nodeRows, n -> utc(n.startedAt), OffsetDateTime[]::new),
                column(nodeRows, n -> utc(n.state.finishedAt()), OffsetDateTime[]::new),
                column(nodeRows, n -> n.state.durationMs(), Long[]::new), column(nodeRows, n -> n.state.itemCount(), Integer[]::new),
                column(nodeRows, n -> n.state.error(), String[]::new), column(nodeRows, n -> n.state.outputPreview(), String[]::new),
                column(nodeRows, n -> n.sequence, Long[]::new))))
                .replaceWithVoid();
    }

    private static <R, T> T[] column(List<R> rows, Function<R, T> value, java.util.function.IntFunction<T[]> array) {
        T[] column = array.apply(rows.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(rows.get(i));
        }
        return column;
    }

    private static <T> T first(T known, T arriving) {
        return known != null ? known : arriving;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static OffsetDateTime utc(Instant instant) {
        return ExecutionStore.utc(instant);
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
                .put("message", Objects.requireNonNullElse(cancelled.reason(), "cancelled"));
        if (cancelled.requestedBy() != null) {
            node.put("requestedBy", cancelled.requestedBy());
        }
        return node;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : WeftJson.withoutNul(node.toString());
    }
}
