package io.weft.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.NodeTransition.Status;
import java.time.Instant;
import java.util.List;

/** Node transitions as the executor publishes them, for tests that play an execution's events. */
public final class Transitions {
    private Transitions() {
    }

    public static NodeTransition running(String nodeId, String name, String type, int attempt, Instant at) {
        return NodeTransition.running(nodeId, name, type, attempt, nodeId + "#" + attempt, at);
    }

    public static NodeTransition succeeded(String nodeId, String name, String type, int attempt, Instant startedAt, long durationMs,
                                           JsonNode preview) {
        return new NodeTransition(nodeId, name, type, Status.SUCCEEDED, attempt, nodeId + "#" + attempt, startedAt,
                startedAt.plusMillis(durationMs), durationMs, 1, preview, "ref", null, null, null, List.of());
    }

    public static NodeTransition retrying(String nodeId, String name, String type, int attempt, Instant startedAt, Instant retryAt,
                                          ExecutionError error) {
        return new NodeTransition(nodeId, name, type, Status.RETRYING, attempt, nodeId + "#" + attempt, startedAt, startedAt, 0L,
                null, null, null, error, null, retryAt, List.of());
    }

    public static NodeTransition failed(String nodeId, String name, String type, int attempt, Instant startedAt, long durationMs,
                                        ExecutionError error) {
        return new NodeTransition(nodeId, name, type, Status.FAILED, attempt, nodeId + "#" + attempt, startedAt,
                startedAt.plusMillis(durationMs), durationMs, null, null, null, error, ExecutionEvent.FailureHandling.FAIL_EXECUTION,
                null, List.of());
    }

    /** One checkpoint flush's event; it happened when its last transition did. */
    public static ExecutionEvent.NodesProgressed progressed(String eventId, String tenantId, String executionId, String workflowId,
                                                            long sequence, NodeTransition... nodes) {
        return new ExecutionEvent.NodesProgressed(eventId, tenantId, executionId, workflowId, sequence, List.of(nodes),
                nodes[nodes.length - 1].occurredAt());
    }
}
