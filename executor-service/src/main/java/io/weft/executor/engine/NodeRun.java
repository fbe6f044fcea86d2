package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.expressions.ExpressionException;
import io.weft.executor.expressions.ExpressionScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of one node: its input items and the means to read its parameters, with expressions
 * resolved against a given item.
 */
public final class NodeRun {
    private final PlannedNode node;
    private final List<Item> items;
    private final Map<String, List<Item>> itemsByPort;
    private final RunState state;
    private final ExpressionEvaluator evaluator;
    private final int attempt;

    NodeRun(PlannedNode node, List<Item> items, Map<String, List<Item>> itemsByPort, RunState state,
            ExpressionEvaluator evaluator, int attempt) {
        this.node = node;
        this.items = items;
        this.itemsByPort = itemsByPort;
        this.state = state;
        this.evaluator = evaluator;
        this.attempt = attempt;
    }

    public PlannedNode node() {
        return node;
    }

    /** Every input item; for a node with several input ports, in the order of its connections. */
    public List<Item> items() {
        return items;
    }

    /** The items that arrived at one input port (for nodes such as Merge). */
    public List<Item> items(String port) {
        return itemsByPort.getOrDefault(port, List.of());
    }

    /** The node's parameters with every expression resolved against input item {@code index}. */
    public JsonNode parameters(int index) {
        try {
            return evaluator.resolve(node.parameters(), scope(index));
        } catch (ExpressionException e) {
            throw new ExpressionException("node \"" + node.name() + "\": " + e.getMessage());
        }
    }

    /** The parameters resolved without an item (for nodes that run once, not per item). */
    public JsonNode parameters() {
        return parameters(items.isEmpty() ? -1 : 0);
    }

    /** {@code tenant:execution:node:attempt}: what side-effecting nodes pass on so that a repeated attempt can be recognised. */
    public String idempotencyKey() {
        return state.input().tenantId() + ":" + state.input().executionId() + ":" + node.id() + ":" + attempt;
    }

    private ExpressionScope scope(int index) {
        JsonNode json = index >= 0 && index < items.size() ? items.get(index).json() : JsonNodeFactory.instance.objectNode();
        JsonNode first = items.isEmpty() ? JsonNodeFactory.instance.objectNode() : items.get(0).json();
        return new ExpressionScope() {
            @Override
            public JsonNode json() {
                return json;
            }

            @Override
            public JsonNode firstInput() {
                return first;
            }

            @Override
            public Optional<JsonNode> nodeJson(String name) {
                return state.outputOfNodeNamed(name).map(output -> {
                    List<Item> produced = output.all();
                    if (produced.isEmpty()) {
                        return null;
                    }
                    return (index >= 0 && index < produced.size() ? produced.get(index) : produced.get(0)).json();
                });
            }

            @Override
            public String executionId() {
                return state.input().executionId();
            }

            @Override
            public String workflowId() {
                return state.input().workflowId();
            }

            @Override
            public JsonNode vars() {
                JsonNode vars = state.input().vars();
                return vars == null ? JsonNodeFactory.instance.objectNode() : vars;
            }

            @Override
            public Instant now() {
                return state.input().clock().instant();
            }
        };
    }
}
