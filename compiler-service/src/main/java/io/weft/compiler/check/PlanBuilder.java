package io.weft.compiler.check;

import io.weft.compiler.catalog.NodeTypes.NodeTypeEntry;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.nodes.PortType;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.Join;
import io.weft.contracts.plan.NodePolicy;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.BackoffKind;
import io.weft.contracts.workflow.Connection;
import io.weft.contracts.workflow.NodeDefinition;
import io.weft.contracts.workflow.OnError;
import io.weft.contracts.workflow.RetryPolicy;
import io.weft.contracts.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns a checked definition into an {@link ExecutionPlan}, with every default resolved and its hash. */
final class PlanBuilder {
    static final RetryPolicy NO_RETRY_DEFAULTS = new RetryPolicy(1, BackoffKind.EXPONENTIAL, 1000L, 2.0, 60_000L, true, List.of());

    private final long defaultTimeoutMs;

    PlanBuilder(Duration defaultNodeTimeout) {
        this.defaultTimeoutMs = defaultNodeTimeout.toMillis();
    }

    ExecutionPlan build(WorkflowDefinition definition, NodeTypeEntry[] types, List<WorkflowCompiler.Edge> edges,
                        List<Integer> order) {
        int size = definition.nodes().size();
        List<List<Connection>> inputs = new ArrayList<>(size);
        List<List<Connection>> outputs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            inputs.add(new ArrayList<>());
            outputs.add(new ArrayList<>());
        }
        for (WorkflowCompiler.Edge edge : edges) {
            inputs.get(edge.to()).add(edge.connection());
            outputs.get(edge.from()).add(edge.connection());
        }
        java.util.BitSet subNodes = new java.util.BitSet(size);
        edges.stream().filter(edge -> edge.type().attachesSubNode()).forEach(edge -> subNodes.set(edge.from()));
        List<PlannedNode> planned = new ArrayList<>(size);
        List<String> triggers = new ArrayList<>();
        for (int index : order) {
            NodeDefinition node = definition.nodes().get(index);
            NodeTypeEntry type = types[index];
            if (type.descriptor().trigger() && !node.disabled()) {
                triggers.add(node.id());
            }
            planned.add(new PlannedNode(node.id(), node.name(), node.type(), node.typeVersion(),
                    ParameterCheck.withDefaults(ParameterCheck.emptyIfAbsent(node.parameters()), type.descriptor().parametersSchema()),
                    node.credentials(), policy(node), join(type), inputs.get(index), outputs.get(index), node.disabled(),
                    subNodes.get(index)));
        }
        ExecutionPlan plan = new ExecutionPlan(ExecutionPlan.FORMAT_VERSION, null, definition.name(), triggers, planned,
                definition.settings());
        return plan.withHash(CanonicalJson.sha256(plan));
    }

    private NodePolicy policy(NodeDefinition node) {
        RetryPolicy given = node.retry();
        RetryPolicy d = NO_RETRY_DEFAULTS;
        RetryPolicy retry = given == null ? d : new RetryPolicy(
                given.maxAttempts() != null ? given.maxAttempts() : d.maxAttempts(),
                given.backoff() != null ? given.backoff() : d.backoff(),
                given.initialIntervalMs() != null ? given.initialIntervalMs() : d.initialIntervalMs(),
                given.backoffCoefficient() != null ? given.backoffCoefficient() : d.backoffCoefficient(),
                given.maxIntervalMs() != null ? given.maxIntervalMs() : d.maxIntervalMs(),
                given.jitter() != null ? given.jitter() : d.jitter(),
                given.retryOn());
        long timeout = node.timeoutMs() != null ? node.timeoutMs() : defaultTimeoutMs;
        return new NodePolicy(retry, timeout, node.onError() != null ? node.onError() : OnError.FAIL_EXECUTION);
    }

    private static Join join(NodeTypeEntry type) {
        if (type.descriptor().trigger()) {
            return Join.TRIGGER;
        }
        // Sub-nodes attached through ai_* inputs are called, not waited for: only main inputs join.
        long mainInputs = type.descriptor().inputs().stream().filter(port -> port.type() == PortType.MAIN).count();
        return mainInputs > 1 ? Join.ALL : Join.ANY;
    }
}
