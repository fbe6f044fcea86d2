package io.weft.contracts.expressions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code {{ }}} expressions in a parameter string and checks what can be checked
 * without running them: that each one is closed, not empty, has balanced brackets and quotes,
 * uses only known {@code $} variables, and which nodes it reads ({@code $node["Name"]},
 * {@code $("Name")}).
 */
public final class Expressions {
    public static final Set<String> VARIABLES = Set.of("$json", "$binary", "$input", "$node", "$execution", "$workflow", "$now",
            "$today", "$vars", "$itemIndex", "$fromAI");
    private static final Pattern NODE_REFERENCE = Pattern.compile(
            "\\$(?:node\\s*\\[|\\()\\s*(['\"])((?:\\\\.|(?!\\1).)*)\\1\\s*[\\])]");

    /**
     * What one parameter string holds.
     *
     * @param spans       where each expression is, in order
     * @param syntaxError null when every expression could be read
     */
    public record Scan(List<Span> spans, List<String> referencedNodes, List<String> unknownVariables, String syntaxError) {

        /** The source of each expression, trimmed. */
        public List<String> expressions() {
            return spans.stream().map(Span::source).toList();
        }
    }

    /**
     * One {@code {{ }}} in a string.
     *
     * @param start  index of the opening {@code {{}
     * @param end    index just after the closing {@code }}}
     * @param source what is between the braces, trimmed
     */
    public record Span(int start, int end, String source) {
    }

    private Expressions() {
    }

    /** The node names that JavaScript source (a Code node's code, an expression) reads with {@code $node["Name"]} or {@code $("Name")}. */
    public static List<String> referencedNodes(String javascript) {
        List<String> references = new ArrayList<>();
        Matcher reference = NODE_REFERENCE.matcher(javascript);
        while (reference.find()) {
            references.add(reference.group(2).replace("\\" + reference.group(1), reference.group(1)));
        }
        return references;
    }

    public static boolean mayHoldExpression(String text) {
        return text.contains("{{");
    }

    public static Scan scan(String text) {
        List<Span> spans = new ArrayList<>();
        List<String> references = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int from = 0;
        int open;
        while ((open = text.indexOf("{{", from)) >= 0) {
            Body body = body(text, open + 2);
            if (body.error() != null) {
                return new Scan(spans, references, unknown, body.error() + " (expression starting at character " + open + ")");
            }
            String source = text.substring(open + 2, body.end());
            if (source.isBlank()) {
                return new Scan(spans, references, unknown, "empty expression {{ }} at character " + open);
            }
            spans.add(new Span(open, body.end() + 2, source.trim()));
            references.addAll(referencedNodes(source));
            unknown.addAll(body.unknownVariables());
            from = body.end() + 2;
        }
        return new Scan(spans, references, unknown, null);
    }

    private record Body(int end, List<String> unknownVariables, String error) {
    }

    /** Scans from {@code start} to the {@code }}} that closes the expression, outside strings and brackets. */
    private static Body body(String text, int start) {
        StringBuilder brackets = new StringBuilder();
        List<String> unknown = new ArrayList<>();
        char quote = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"', '`' -> quote = c;
                case '(', '[', '{' -> brackets.append(c);
                case ')', ']', '}' -> {
                    if (c == '}' && brackets.isEmpty() && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                        return new Body(i, unknown, null);
                    }
                    char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (brackets.isEmpty() || brackets.charAt(brackets.length() - 1) != expected) {
                        return new Body(i, unknown, "unbalanced '" + c + "' at character " + i);
                    }
                    brackets.setLength(brackets.length() - 1);
                }
                case '$' -> {
                    String variable = variableAt(text, i);
                    if (variable != null && !VARIABLES.contains(variable) && !"$".equals(variable)) {
                        unknown.add(variable);
                    }
                }
                default -> {
                }
            }
        }
        if (quote != 0) {
            return new Body(text.length(), unknown, "unterminated string (" + quote + ")");
        }
        if (!brackets.isEmpty()) {
            return new Body(text.length(), unknown, "unclosed '" + brackets.charAt(brackets.length() - 1) + "'");
        }
        return new Body(text.length(), unknown, "{{ is never closed with }}");
    }

    /** The {@code $name} starting at {@code i}, or null when the {@code $} is part of a longer name or member. */
    private static String variableAt(String text, int i) {
        if (i > 0) {
            char before = text.charAt(i - 1);
            if (Character.isLetterOrDigit(before) || before == '_' || before == '$' || before == '.') {
                return null;
            }
        }
        int end = i + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return text.substring(i, end);
    }
}
