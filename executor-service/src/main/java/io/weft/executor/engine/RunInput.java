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
 */
public record RunInput(String tenantId, String executionId, String workflowId, String triggerNodeId, List<Item> triggerItems, JsonNode vars,
                       Clock clock) {

    public RunInput {
        triggerItems = triggerItems == null ? List.of() : List.copyOf(triggerItems);
    }
}
