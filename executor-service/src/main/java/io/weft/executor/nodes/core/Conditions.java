package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The conditions of If and Switch, evaluated on resolved parameter values. */
final class Conditions {
    private static final int MAX_REGEX_INPUT = 10_000;
    private static final int MAX_REGEX_STEPS = 1_000_000;

    private Conditions() {
    }

    /** Whether the resolved {@code conditions} hold, combined with {@code and} or {@code or}. */
    static boolean hold(List<Condition> conditions, String combine) {
        boolean any = "or".equals(combine);
        for (Condition condition : conditions) {
            boolean holds = holds(condition);
            if (any && holds) {
                return true;
            }
            if (!any && !holds) {
                return false;
            }
        }
        return !any;
    }

    static boolean holds(Condition condition) {
        JsonNode left = condition.left();
        JsonNode right = condition.right();
        boolean caseSensitive = condition.caseSensitive();
        return switch (condition.operator()) {
            case "equals" -> same(left, right, caseSensitive);
            case "notEquals" -> !same(left, right, caseSensitive);
            case "contains" -> contains(left, right, caseSensitive);
            case "notContains" -> !contains(left, right, caseSensitive);
            case "startsWith" -> text(left, caseSensitive).startsWith(text(right, caseSensitive));
            case "endsWith" -> text(left, caseSensitive).endsWith(text(right, caseSensitive));
            case "gt" -> compare(left, right) > 0;
            case "gte" -> compare(left, right) >= 0;
            case "lt" -> compare(left, right) < 0;
            case "lte" -> compare(left, right) <= 0;
            case "isEmpty" -> empty(left);
            case "isNotEmpty" -> !empty(left);
            case "exists" -> !left.isMissingNode() && !left.isNull();
            case "notExists" -> left.isMissingNode() || left.isNull();
            case "isTrue" -> left.isBoolean() ? left.booleanValue() : "true".equalsIgnoreCase(left.asText());
            case "isFalse" -> left.isBoolean() ? !left.booleanValue() : "false".equalsIgnoreCase(left.asText());
            case "matchesRegex" -> matches(left, right, caseSensitive);
            default -> throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false,
                    "unknown operator " + condition.operator());
        };
    }

    private static boolean same(JsonNode left, JsonNode right, boolean caseSensitive) {
        BigDecimal a = number(left);
        BigDecimal b = number(right);
        if (a != null && b != null) {
            return a.compareTo(b) == 0;
        }
        if (left.isTextual() && right.isTextual()) {
            return caseSensitive ? left.asText().equals(right.asText()) : left.asText().equalsIgnoreCase(right.asText());
        }
        return left.equals(right);
    }

    private static boolean contains(JsonNode left, JsonNode right, boolean caseSensitive) {
        if (left.isArray()) {
            for (JsonNode element : left) {
                if (same(element, right, caseSensitive)) {
                    return true;
                }
            }
            return false;
        }
        return text(left, caseSensitive).contains(text(right, caseSensitive));
    }

    private static int compare(JsonNode left, JsonNode right) {
        BigDecimal a = number(left);
        BigDecimal b = number(right);
        if (a != null && b != null) {
            return a.compareTo(b);
        }
        if (left.isMissingNode() || left.isNull() || right.isMissingNode() || right.isNull()) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "cannot compare " + describe(left) + " with " + describe(right));
        }
        return left.asText().compareTo(right.asText()); // ISO-8601 times compare correctly as text
    }

    private static boolean empty(JsonNode value) {
        return value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }

    private static boolean matches(JsonNode left, JsonNode right, boolean caseSensitive) {
        String input = left.isMissingNode() || left.isNull() ? "" : text(left, true);
        if (input.length() > MAX_REGEX_INPUT) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "matchesRegex works on at most " + MAX_REGEX_INPUT + " characters");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(right.asText(), caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "not a regular expression: " + e.getDescription());
        }
        return pattern.matcher(new StepLimitedText(input, MAX_REGEX_STEPS)).find();
    }

    private static String text(JsonNode value, boolean caseSensitive) {
        String text = value.isMissingNode() || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString();
        return caseSensitive ? text : text.toLowerCase(java.util.Locale.ROOT);
    }

    private static BigDecimal number(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual() && !value.asText().isBlank() && value.asText().length() < 64) {
            try {
                return new BigDecimal(value.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(JsonNode value) {
        return value.isMissingNode() ? "a missing value" : value.isNull() ? "null" : value.getNodeType().name().toLowerCase();
    }

    /** Stops a regular expression that backtracks without end (ReDoS) after a bounded number of character reads. */
    private static final class StepLimitedText implements CharSequence {
        private final String text;
        private final int[] steps;
        private final int limit;

        StepLimitedText(String text, int limit) {
            this(text, new int[1], limit);
        }

        private StepLimitedText(String text, int[] steps, int limit) {
            this.text = text;
            this.steps = steps;
            this.limit = limit;
        }

        @Override
        public char charAt(int index) {
            if (++steps[0] > limit) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false,
                        "the regular expression takes too long on this value (catastrophic backtracking?)");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new StepLimitedText(text.substring(start, end), steps, limit);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
