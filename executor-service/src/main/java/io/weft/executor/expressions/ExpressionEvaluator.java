package io.weft.executor.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.contracts.expressions.Expressions;
import io.weft.contracts.expressions.FromAi;
import io.weft.executor.engine.NodeFailure;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code {{ }}} expressions in node parameters. A string that is exactly one expression
 * takes the expression's value with its JSON type; a string with text around expressions becomes
 * text. Property paths take the fast path ({@link PathExpression}); any other expression runs in the
 * JavaScript sandbox through {@link ExpressionScope#script(String)}. Errors name the parameter.
 */
public final class ExpressionEvaluator {
    private static final int MAX_CACHED_TEMPLATES = 10_000;

    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    /** The parameter value with every expression in it resolved; values without expressions are returned as they are. */
    public JsonNode resolve(JsonNode value, ExpressionScope scope) {
        return resolve(value, scope, "");
    }

    private JsonNode resolve(JsonNode value, ExpressionScope scope, String path) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value.isTextual()) {
            String text = value.asText();
            if (!Expressions.mayHoldExpression(text)) {
                return value;
            }
            try {
                return template(text).evaluate(scope);
            } catch (ExpressionException e) {
                throw new ExpressionException(parameter(path) + e.getMessage());
            } catch (NodeFailure e) {
                throw new NodeFailure(e.kind(), e.retryable(), parameter(path) + e.getMessage(), e);
            }
        }
        if (value.isObject()) {
            ObjectNode resolved = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                JsonNode result = resolve(member.getValue(), scope, path.isEmpty() ? member.getKey() : path + "." + member.getKey());
                if (result != member.getValue()) {
                    if (resolved == null) {
                        resolved = ((ObjectNode) value).deepCopy();
                    }
                    resolved.set(member.getKey(), result);
                }
            }
            return resolved == null ? value : resolved;
        }
        if (value.isArray()) {
            ArrayNode resolved = null;
            for (int i = 0; i < value.size(); i++) {
                JsonNode result = resolve(value.get(i), scope, path + "[" + i + "]");
                if (result != value.get(i)) {
                    if (resolved == null) {
                        resolved = ((ArrayNode) value).deepCopy();
                    }
                    resolved.set(i, result);
                }
            }
            return resolved == null ? value : resolved;
        }
        return value;
    }

    private static String parameter(String path) {
        return path.isEmpty() ? "" : "parameter \"" + path + "\": ";
    }

    private Template template(String text) {
        Template known = templates.get(text);
        if (known != null) {
            return known;
        }
        Template parsed = Template.parse(text);
        if (templates.size() >= MAX_CACHED_TEMPLATES) {
            templates.clear();
        }
        templates.put(text, parsed);
        return parsed;
    }

    /** A parameter string split into literal text and expressions. */
    private record Template(String text, List<Object> parts, boolean single) {

        static Template parse(String text) {
            Expressions.Scan scan = Expressions.scan(text);
            if (scan.syntaxError() != null) {
                throw new ExpressionException("cannot read the expression in \"" + abbreviate(text) + "\": " + scan.syntaxError());
            }
            List<Object> parts = new ArrayList<>();
            int at = 0;
            for (Expressions.Span span : scan.spans()) {
                if (span.start() > at) {
                    parts.add(text.substring(at, span.start()));
                }
                Optional<FromAi> fromAi = FromAi.parse(span.source());
                parts.add(fromAi.isPresent() ? fromAi.get()
                        : PathExpression.parse(span.source()).<Object>map(path -> path).orElse(new Script(span.source())));
                at = span.end();
            }
            if (at < text.length()) {
                parts.add(text.substring(at));
            }
            return new Template(text, List.copyOf(parts), parts.size() == 1 && !(parts.get(0) instanceof String));
        }

        JsonNode evaluate(ExpressionScope scope) {
            if (single) {
                JsonNode value = value(parts.get(0), scope);
                return value.isMissingNode() ? NullNode.getInstance() : value;
            }
            StringBuilder out = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof String literal) {
                    out.append(literal);
                } else {
                    JsonNode value = value(part, scope);
                    if (!value.isMissingNode() && !value.isNull()) {
                        out.append(value.isTextual() ? value.asText() : value.toString());
                    }
                }
            }
            return TextNode.valueOf(out.toString());
        }

        private static JsonNode value(Object part, ExpressionScope scope) {
            if (part instanceof PathExpression path) {
                return path.evaluate(scope);
            }
            if (part instanceof FromAi call) {
                return scope.fromAi(call);
            }
            return scope.script(((Script) part).source());
        }
    }

    private record Script(String source) {
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
