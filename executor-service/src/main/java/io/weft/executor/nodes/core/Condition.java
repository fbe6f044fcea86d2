package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One condition of If and Switch, resolved: {@code left} and {@code right} are missing (not null)
 * when the workflow left them out, so that {@code exists} can tell an absent value from a null one.
 */
public record Condition(JsonNode left, String operator, JsonNode right, boolean caseSensitive) {
    public Condition {
        left = left == null ? MissingNode.getInstance() : left;
        right = right == null ? MissingNode.getInstance() : right;
        operator = operator == null ? "" : operator;
    }
}
