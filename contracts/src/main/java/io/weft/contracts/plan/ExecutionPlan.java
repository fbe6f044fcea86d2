package io.weft.contracts.plan;

import io.weft.contracts.workflow.WorkflowSettings;
import java.util.List;

/**
 * A compiled workflow: what the executor runs. Produced by compiler-service, identified by
 * {@code hash}, immutable.
 *
 * @param hash     SHA-256 (hex) of the plan's canonical JSON with {@code hash} left out
 * @param triggers ids of the trigger nodes
 * @param nodes    every node in a topological order: a node comes after all nodes it depends on
 * @param settings the workflow's settings as written, or null
 */
public record ExecutionPlan(
        int formatVersion,
        String hash,
        String workflowName,
        List<String> triggers,
        List<PlannedNode> nodes,
        WorkflowSettings settings) {

    public static final int FORMAT_VERSION = 1;

    public ExecutionPlan {
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public ExecutionPlan withHash(String value) {
        return new ExecutionPlan(formatVersion, value, workflowName, triggers, nodes, settings);
    }
}
