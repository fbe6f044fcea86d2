package io.weft.executor.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a script sees: the node's input items ({@code $input}, {@code $json}), the outputs of the
 * earlier nodes it names ({@code $node["Name"]}, {@code $("Name")}), the run's identity, and, when
 * the node runs as an AI agent's tool, what the model passed ({@code $fromAI(...)}; null otherwise).
 * It enters the sandbox as JSON text.
 */
public record ScriptData(List<JsonNode> items, Map<String, List<JsonNode>> nodes, JsonNode vars,
                         String executionId, String workflowId, Instant now, JsonNode toolArguments) {

    public ScriptData(List<JsonNode> items, Map<String, List<JsonNode>> nodes, JsonNode vars, String executionId, String workflowId,
                      Instant now) {
        this(items, nodes, vars, executionId, workflowId, now, null);
    }
}
