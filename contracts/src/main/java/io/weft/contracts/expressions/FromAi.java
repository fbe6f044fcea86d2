package io.weft.contracts.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code $fromAI(key, description, type, default)}: in a parameter of a node attached to an AI agent
 * as a tool, a value the agent's model fills when it calls the tool. The key names it in the tool's
 * input schema; the description tells the model what to put there; the type is one of
 * {@link #TYPES} (default {@code string}); the default is used when the model leaves it out (then
 * the input is optional). Every argument is a literal, and the call is the whole expression:
 * {@code {{ $fromAI('city', 'the city to look up') }}}.
 */
public record FromAi(String key, String description, String type, JsonNode defaultValue) {
    public static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "json");
    public static final String USAGE = "{{ $fromAI('key', 'what the model puts here', 'string') }}: a key of letters, digits, _ or -"
            + " (at most 64), then optionally a description, a type (string, number, integer, boolean or json) and a default, all literals";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String CALL = "$fromAI";

    /** Whether the expression uses {@code $fromAI} at all. */
    public static boolean usedIn(String expression) {
        return expression.contains(CALL);
    }

    /** The call, when the expression is exactly one well-formed {@code $fromAI(...)}; empty otherwise. */
    public static Optional<FromAi> parse(String expression) {
        String source = expression.strip();
        if (!source.startsWith(CALL)) {
            return Optional.empty();
        }
        int at = skipSpaces(source, CALL.length());
        if (at >= source.length() || source.charAt(at) != '(' || !source.endsWith(")")) {
            return Optional.empty();
        }
        List<JsonNode> arguments = new ArrayList<>();
        at = skipSpaces(source, at + 1);
        int end = source.length() - 1;
        while (at < end) {
            int[] next = {at};
            JsonNode argument = literal(source, next);
            if (argument == null) {
                return Optional.empty();
            }
            arguments.add(argument);
            at = skipSpaces(source, next[0]);
            if (at < end) {
                if (source.charAt(at) != ',') {
                    return Optional.empty();
                }
                at = skipSpaces(source, at + 1);
            }
        }
        if (arguments.isEmpty() || arguments.size() > 4 || !arguments.get(0).isTextual() || !KEY.matcher(arguments.get(0).asText()).matches()) {
            return Optional.empty();
        }
        for (int i = 1; i < Math.min(arguments.size(), 3); i++) {
            if (!arguments.get(i).isTextual()) {
                return Optional.empty();
            }
        }
        String type = arguments.size() > 2 ? arguments.get(2).asText() : "string";
        if (!TYPES.contains(type)) {
            return Optional.empty();
        }
        String description = arguments.size() > 1 ? arguments.get(1).asText() : "";
        return Optional.of(new FromAi(arguments.get(0).asText(), description, type, arguments.size() > 3 ? arguments.get(3) : null));
    }

    /**
     * The calls in a node's parameters, by key (the first of a key wins), in the order they appear:
     * each {@code {{ }}} expression of a text parameter that is one whole call.
     */
    public static Map<String, FromAi> inParameters(JsonNode parameters) {
        Map<String, FromAi> calls = new LinkedHashMap<>();
        collect(parameters, calls);
        return calls;
    }

    private static void collect(JsonNode value, Map<String, FromAi> calls) {
        if (value == null) {
            return;
        }
        if (value.isTextual()) {
            String text = value.asText();
            if (Expressions.mayHoldExpression(text) && usedIn(text)) {
                for (String expression : Expressions.scan(text).expressions()) {
                    parse(expression).ifPresent(call -> calls.putIfAbsent(call.key(), call));
                }
            }
            return;
        }
        for (java.util.Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
            collect(it.next(), calls);
        }
    }

    /**
     * The calls in a script's source (a Code node's), by key, in the order they appear: each
     * {@code $fromAI(...)} whose arguments are literals; others are not inputs the model can see.
     */
    public static Map<String, FromAi> inSource(String source) {
        Map<String, FromAi> calls = new LinkedHashMap<>();
        for (int at = source.indexOf(CALL); at >= 0; at = source.indexOf(CALL, at + CALL.length())) {
            int open = skipSpaces(source, at + CALL.length());
            int close = open < source.length() && source.charAt(open) == '(' ? closing(source, open) : -1;
            if (close > 0) {
                parse(source.substring(at, close + 1)).ifPresent(call -> calls.putIfAbsent(call.key(), call));
            }
        }
        return calls;
    }

    /** The index of the parenthesis that closes the one at {@code open}, past quoted text; -1 when there is none. */
    private static int closing(String source, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < source.length(); i++) {
            char c = source.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the model may leave this input out. */
    public boolean optional() {
        return defaultValue != null;
    }

    private static int skipSpaces(String source, int at) {
        while (at < source.length() && Character.isWhitespace(source.charAt(at))) {
            at++;
        }
        return at;
    }

    /** A string in ', " or ` quotes, a number, true or false from {@code at[0]}, which it moves past it; null when there is none. */
    private static JsonNode literal(String source, int[] at) {
        int i = at[0];
        char first = source.charAt(i);
        if (first == '\'' || first == '"' || first == '`') {
            StringBuilder text = new StringBuilder();
            for (i++; i < source.length(); i++) {
                char c = source.charAt(i);
                if (c == '\\' && i + 1 < source.length()) {
                    char escaped = source.charAt(++i);
                    text.append(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped);
                } else if (c == first) {
                    at[0] = i + 1;
                    return TextNode.valueOf(text.toString());
                } else {
                    text.append(c);
                }
            }
            return null;
        }
        int end = i;
        while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end)) || "+-.".indexOf(source.charAt(end)) >= 0)) {
            end++;
        }
        String word = source.substring(i, end);
        at[0] = end;
        if (word.equals("true") || word.equals("false")) {
            return BooleanNode.valueOf(word.equals("true"));
        }
        try {
            return DecimalNode.valueOf(new BigDecimal(word));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
