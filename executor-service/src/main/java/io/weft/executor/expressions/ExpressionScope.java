package io.weft.executor.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.expressions.FromAi;
import java.time.Instant;
import java.util.Optional;

/** What an expression can see while one node works on one item. */
public interface ExpressionScope {

    /** {@code $json}: the current item. */
    JsonNode json();

    /** {@code $input.first().json}: the node's first input item. */
    JsonNode firstInput();

    /** {@code $node["Name"].json} / {@code $("Name").item.json}: that node's output for the current item. */
    Optional<JsonNode> nodeJson(String name);

    String executionId();

    String workflowId();

    /** {@code $vars}: the tenant's variables. */
    JsonNode vars();

    /** {@code $now}. */
    Instant now();

    /**
     * {@code $fromAI(key, …)}: what the agent's model put under the key when it called this node as a
     * tool, else the call's default. Only a node run as a tool has one.
     */
    default JsonNode fromAi(FromAi call) {
        throw new ExpressionException("$fromAI('" + call.key() + "') is filled by an AI agent's model: it has a value only while the node"
                + " runs as a tool of an agent");
    }

    /** The value of an expression that is more than a property path: it runs in the JavaScript sandbox. */
    default JsonNode script(String source) {
        throw new ExpressionException("{{ " + source + " }} is more than a property path, and no JavaScript sandbox is available here");
    }
}
