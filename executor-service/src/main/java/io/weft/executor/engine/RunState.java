package io.weft.executor.engine;

import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.WorkflowSettings;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What one execution has produced so far; parallel branches record into it from their own threads. */
final class RunState {
    private final RunInput input;
    private final RunListener listener;
    private final WorkflowSettings.PromptInjection promptInjection;
    private final Map<String, String> idByName = new HashMap<>();
    private final Map<String, PlannedNode> planned = new HashMap<>();
    private final Map<String, NodeOutput> outputs = new HashMap<>();
    private final Map<String, NodeOutcome> outcomes = new LinkedHashMap<>();

    RunState(ExecutionPlan plan, RunInput input, RunListener listener) {
        this.input = input;
        this.listener = listener;
        this.promptInjection = plan.settings() == null || plan.settings().promptInjection() == null
                ? WorkflowSettings.PromptInjection.WARN : plan.settings().promptInjection();
        for (PlannedNode node : plan.nodes()) {
            idByName.put(node.name(), node.id());
            planned.put(node.id(), node);
        }
    }

    RunInput input() {
        return input;
    }

    RunListener listener() {
        return listener;
    }

    WorkflowSettings.PromptInjection promptInjection() {
        return promptInjection;
    }

    /** A node's outcome decided now: kept, and told to the listener. */
    void record(NodeOutcome outcome) {
        restore(outcome);
        listener.nodeFinished(planned.get(outcome.nodeId()), outcome);
    }

    /** A node's outcome from an earlier run of the same execution. */
    synchronized void restore(NodeOutcome outcome) {
        outcomes.put(outcome.nodeId(), outcome);
        if (outcome.output() != null) {
            outputs.put(outcome.nodeId(), outcome.output());
        }
    }

    synchronized NodeOutput output(String nodeId) {
        return outputs.get(nodeId);
    }

    synchronized Optional<NodeOutput> outputOfNodeNamed(String name) {
        String id = idByName.get(name);
        return id == null ? Optional.empty() : Optional.ofNullable(outputs.get(id));
    }

    synchronized Map<String, NodeOutcome> outcomes() {
        return new LinkedHashMap<>(outcomes);
    }
}
