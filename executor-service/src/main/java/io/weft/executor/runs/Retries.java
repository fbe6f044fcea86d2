package io.weft.executor.runs;

import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.PlannedNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retries: an execution that runs again what another execution of the tenant ran — with the same
 * trigger and its data, from the start, or from a node ({@code startAtNodeId}): then the nodes the
 * earlier execution finished, except that node and everything after it, are taken over as
 * checkpoints and not run again. Prepared once, on the retry's first run.
 */
final class Retries {

    /** The request to run (the earlier trigger filled in), or why the retry cannot run. */
    record Prepared(ExecutionRequested request, String refusal) {
    }

    private Retries() {
    }

    static Prepared prepare(ExecutionStore store, ExecutionRequested request, Lease lease, ExecutionPlan plan, Duration timeout) {
        var original = store.original(request.tenantId(), request.retryOf(), timeout);
        if (original.isEmpty()) {
            return new Prepared(request, "the execution to retry (" + request.retryOf() + ") is not known to the executors");
        }
        String triggerNodeId = request.triggerNodeId() != null ? request.triggerNodeId() : original.get().triggerNodeId();
        var triggerData = request.triggerData() != null && !request.triggerData().isNull() ? request.triggerData()
                : original.get().triggerData();
        ExecutionRequested filled = with(request, triggerNodeId, triggerData);
        store.retrying(lease, triggerNodeId, triggerData, timeout);
        if (request.startAtNodeId() == null) {
            return new Prepared(filled, null);
        }
        if (plan.nodes().stream().noneMatch(node -> node.id().equals(request.startAtNodeId()))) {
            return new Prepared(filled, "node " + request.startAtNodeId() + " to retry from is not in the version that runs");
        }
        Set<String> again = fromOn(plan, request.startAtNodeId());
        List<String> kept = plan.nodes().stream().map(PlannedNode::id).filter(id -> !again.contains(id)).toList();
        store.seed(lease, request.retryOf(), kept, timeout);
        return new Prepared(filled, null);
    }

    /** A retry's later run (a redelivered request): the trigger its first run took over, from its own row. */
    static ExecutionRequested resumed(ExecutionStore store, ExecutionRequested request, Duration timeout) {
        return store.original(request.tenantId(), request.executionId(), timeout)
                .map(own -> with(request, own.triggerNodeId(), own.triggerData()))
                .orElse(request);
    }

    private static ExecutionRequested with(ExecutionRequested request, String triggerNodeId, com.fasterxml.jackson.databind.JsonNode data) {
        return new ExecutionRequested(request.eventId(), request.tenantId(), request.executionId(), request.workflowId(),
                request.workflowVersion(), request.planHash(), request.trigger(), triggerNodeId, data, request.requestedBy(),
                request.retryOf(), request.startAtNodeId(), request.occurredAt(), request.retainDays(), request.llmTokensPerMonth(),
                request.callDepth());
    }

    /** The node and every node that reads from it, directly or not. */
    static Set<String> fromOn(ExecutionPlan plan, String start) {
        Map<String, List<String>> readers = new HashMap<>();
        for (PlannedNode node : plan.nodes()) {
            node.inputs().forEach(input -> readers.computeIfAbsent(input.from().node(), k -> new java.util.ArrayList<>()).add(node.id()));
        }
        Set<String> reached = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(start));
        while (!next.isEmpty()) {
            String id = next.pop();
            if (reached.add(id)) {
                next.addAll(readers.getOrDefault(id, List.of()));
            }
        }
        return reached;
    }
}
