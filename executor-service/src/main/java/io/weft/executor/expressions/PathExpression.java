package io.weft.executor.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fast path: an expression that is only a root and property accesses, e.g.
 * {@code $json.customer.email}, {@code $json["first name"]}, {@code $json.items[0].sku},
 * {@code $node["Fetch"].json.status}, {@code $("Fetch").item.json.id}, {@code $input.first().json.x},
 * {@code $execution.id}, {@code $workflow.id}, {@code $vars.region}, {@code $now}. Evaluated by
 * walking the JSON tree, without a script engine. Anything else is not a path (see {@link #parse}).
 */
final class PathExpression {
    private enum Root { JSON, NODE, FIRST_INPUT, EXECUTION_ID, WORKFLOW_ID, VARS, NOW }

    private final Root root;
    private final String nodeName;
    private final List<Object> segments;

    private PathExpression(Root root, String nodeName, List<Object> segments) {
        this.root = root;
        this.nodeName = nodeName;
        this.segments = segments;
    }

    /** The path, or empty when the expression needs the script engine. */
    static Optional<PathExpression> parse(String source) {
        Cursor in = new Cursor(source.strip());
        Root root;
        String nodeName = null;
        if (in.take("$json")) {
            root = Root.JSON;
        } else if (in.take("$node[")) {
            nodeName = in.string();
            if (nodeName == null || !in.take("].json")) {
                return Optional.empty();
            }
            root = Root.NODE;
        } else if (in.take("$(")) {
            nodeName = in.string();
            if (nodeName == null || !(in.take(").item.json") || in.take(").first().json"))) {
                return Optional.empty();
            }
            root = Root.NODE;
        } else if (in.take("$input.first().json") || in.take("$input.item.json")) {
            root = in.source.startsWith("$input.item") ? Root.JSON : Root.FIRST_INPUT;
        } else if (in.take("$execution.id")) {
            root = Root.EXECUTION_ID;
        } else if (in.take("$workflow.id")) {
            root = Root.WORKFLOW_ID;
        } else if (in.take("$vars")) {
            root = Root.VARS;
        } else if (in.take("$now")) {
            root = Root.NOW;
        } else {
            return Optional.empty();
        }
        if (in.atIdentifierCharacter()) {
            return Optional.empty(); // e.g. $jsonx or $nowish: not this root
        }
        List<Object> segments = new ArrayList<>();
        while (!in.done()) {
            if (in.take(".")) {
                String name = in.identifier();
                if (name == null) {
                    return Optional.empty();
                }
                segments.add(name);
            } else if (in.take("[")) {
                Object key = in.string();
                if (key == null) {
                    key = in.index();
                }
                if (key == null || !in.take("]")) {
                    return Optional.empty();
                }
                segments.add(key);
            } else {
                return Optional.empty();
            }
        }
        boolean scalarRoot = root == Root.EXECUTION_ID || root == Root.WORKFLOW_ID || root == Root.NOW;
        if (scalarRoot && !segments.isEmpty()) {
            return Optional.empty(); // e.g. $now.toISO(): methods are the script engine's business
        }
        return Optional.of(new PathExpression(root, nodeName, List.copyOf(segments)));
    }

    /** The value, or a missing node when the path leads nowhere. */
    JsonNode evaluate(ExpressionScope scope) {
        JsonNode value = switch (root) {
            case JSON -> scope.json();
            case FIRST_INPUT -> scope.firstInput();
            case NODE -> scope.nodeJson(nodeName).orElseThrow(() -> new ExpressionException(
                    "node \"" + nodeName + "\" has no output for this item (did it run before this node?)"));
            case EXECUTION_ID -> TextNode.valueOf(scope.executionId());
            case WORKFLOW_ID -> TextNode.valueOf(scope.workflowId());
            case VARS -> scope.vars();
            case NOW -> TextNode.valueOf(scope.now().toString());
        };
        for (Object segment : segments) {
            if (value == null || value.isMissingNode()) {
                return MissingNode.getInstance();
            }
            value = segment instanceof String name ? value.get(name) : value.get((Integer) segment);
        }
        return value == null ? MissingNode.getInstance() : value;
    }

    /** A tiny reader over the expression source. */
    private static final class Cursor {
        final String source;
        int at;

        Cursor(String source) {
            this.source = source;
        }

        boolean done() {
            return at >= source.length();
        }

        boolean take(String expected) {
            if (source.startsWith(expected, at)) {
                at += expected.length();
                return true;
            }
            return false;
        }

        boolean atIdentifierCharacter() {
            return !done() && (Character.isLetterOrDigit(source.charAt(at)) || source.charAt(at) == '_' || source.charAt(at) == '$');
        }

        String identifier() {
            int start = at;
            while (atIdentifierCharacter()) {
                at++;
            }
            if (at == start || Character.isDigit(source.charAt(start))) {
                return null;
            }
            return source.substring(start, at);
        }

        /** A quoted string with \\ escapes, or null. */
        String string() {
            if (done() || (source.charAt(at) != '"' && source.charAt(at) != '\'')) {
                return null;
            }
            char quote = source.charAt(at++);
            StringBuilder text = new StringBuilder();
            while (!done()) {
                char c = source.charAt(at++);
                if (c == '\\' && !done()) {
                    text.append(source.charAt(at++));
                } else if (c == quote) {
                    return text.toString();
                } else {
                    text.append(c);
                }
            }
            return null;
        }

        Integer index() {
            int start = at;
            while (!done() && Character.isDigit(source.charAt(at))) {
                at++;
            }
            return at == start || at - start > 9 ? null : Integer.valueOf(source.substring(start, at));
        }
    }
}
