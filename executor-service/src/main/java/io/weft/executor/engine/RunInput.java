package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;

/**
 * What an execution starts from.
 *
 * @param triggerNodeId the trigger that fired; null means the plan's first trigger
 * @param triggerItems  what the trigger received (a manual run's input, a webhook request, a tick)
 * @param vars          the tenant's variables, {@code $vars}
 * @param attempt       the attempt number of the nodes run in this pass: 1, and one more each time
 *                      the execution is resumed (the node that was running when an executor died
 *                      runs again with the next attempt)
 * @param callDepth     how many runs stand above this one (a run an agent's workflow tool started is one below its
 *                      caller's); 0 for a top-level run
 */
public record RunInput(String tenantId, String executionId, String workflowId, String triggerNodeId, List<Item> triggerItems,
                       JsonNode vars, Clock clock, int attempt, int callDepth) {

    public RunInput {
        triggerItems = triggerItems == null ? List.of() : List.copyOf(triggerItems);
    }

    public RunInput(String tenantId, String executionId, String workflowId, String triggerNodeId, List<Item> triggerItems,
                    JsonNode vars, Clock clock) {
        this(tenantId, executionId, workflowId, triggerNodeId, triggerItems, vars, clock, 1, 0);
    }
}
