package io.weft.executor.engine;

import java.util.Map;

/**
 * The result of running a plan.
 *
 * @param nodes every node's outcome, in the order they were decided
 * @param failedNode the node that failed the execution, or null
 */
public record ExecutionOutcome(boolean succeeded, Map<String, NodeOutcome> nodes, String failedNode) {

    public NodeOutcome node(String id) {
        return nodes.get(id);
    }
}
