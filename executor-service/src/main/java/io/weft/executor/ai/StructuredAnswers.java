package io.weft.executor.ai;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a model's answer that should be JSON as models really write it: in a code fence, with prose
 * around it, with trailing commas, comments or single quotes; then checks it against the schema the
 * node asked for. What cannot be read or does not fit comes back as problems the model is shown when
 * it is asked to repair its answer.
 */
public final class StructuredAnswers {
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_-]*[ \\t]*\\r?\\n?(.*?)```", Pattern.DOTALL);
    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final int MAX_PROBLEMS = 10;

    private StructuredAnswers() {
    }

    /** What was read, and what is wrong with it; {@code value} is null when nothing could be read. */
    public record Reading(JsonNode value, List<String> problems) {
        public boolean fits() {
            return value != null && problems.isEmpty();
        }
    }

    /** The schema the answer must fit; fails with IllegalArgumentException when it is no JSON Schema. */
    public static Schema schema(JsonNode schema) {
        return SCHEMAS.getSchema(schema);
    }

    public static Reading read(String answer, Schema schema) {
        Optional<JsonNode> value = parse(answer);
        if (value.isEmpty()) {
            return new Reading(null, List.of("the answer holds no JSON value that can be read"
                    + (answer != null && looksCutOff(answer) ? " (it looks cut off)" : "")));
        }
        List<String> problems = schema.validate(value.get()).stream().map(StructuredAnswers::problem).limit(MAX_PROBLEMS).toList();
        return new Reading(value.get(), problems);
    }

    /** Where and what, as the model is shown it: {@code $.total: string found, number expected}. */
    private static String problem(Error error) {
        String where = String.valueOf(error.getInstanceLocation());
        String what = error.getMessage();
        return what.startsWith(where) ? what : where + ": " + what;
    }

    /** The JSON value in a model's answer: the whole answer, else its first code fence, else its first balanced object or array. */
    public static Optional<JsonNode> parse(String answer) {
        if (answer == null) {
            return Optional.empty();
        }
        String text = answer.strip().replace("\uFEFF", "");
        Optional<JsonNode> whole = tryParse(text);
        if (whole.isPresent()) {
            return whole;
        }
        Matcher fence = FENCE.matcher(text);
        if (fence.find()) {
            Optional<JsonNode> fenced = tryParse(fence.group(1).strip());
            if (fenced.isPresent()) {
                return fenced;
            }
        }
        for (int start = firstOpening(text, 0); start >= 0; start = firstOpening(text, start + 1)) {
            int end = matchingClose(text, start);
            if (end > start) {
                Optional<JsonNode> inside = tryParse(text.substring(start, end + 1));
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> tryParse(String text) {
        if (text.isEmpty() || (text.charAt(0) != '{' && text.charAt(0) != '[')) {
            return Optional.empty();
        }
        try {
            return Optional.of(LENIENT.readTree(text));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static int firstOpening(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the bracket that closes the one at {@code start}, skipping strings; -1 when it is never closed. */
    private static int matchingClose(String text, int start) {
        int depth = 0;
        char quote = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean looksCutOff(String answer) {
        int start = firstOpening(answer, 0);
        return start >= 0 && matchingClose(answer, start) < 0;
    }
}
