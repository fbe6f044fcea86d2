package io.weft.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks on what a client sends before anything is stored. The definition itself is the
 * compiler's business: a draft that does not compile is still saved, with its diagnostics.
 */
final class WorkflowInputs {
    static final int MAX_TAGS = 20;
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.:/-]{0,49}");

    private WorkflowInputs() {
    }

    /** The workflow's name, from its definition. */
    static String checkDefinition(JsonNode definition) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (definition == null || !definition.isObject()) {
            throw invalid(List.of(new Problem.Violation("definition", "must be a workflow definition (a JSON object)")));
        }
        JsonNode name = definition.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            violations.add(new Problem.Violation("definition.name", "must be a non-empty string"));
        } else if (name.asText().length() > 200) {
            violations.add(new Problem.Violation("definition.name", "must be at most 200 characters"));
        }
        if (containsNul(definition)) {
            violations.add(new Problem.Violation("definition", "must not contain the NUL character (\\u0000)"));
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        return name.asText().strip();
    }

    /** Tags without duplicates, in the order given; null stays null (keep the current tags). */
    static List<String> checkTags(List<String> tags) {
        if (tags == null) {
            return null;
        }
        if (tags.size() > MAX_TAGS) {
            throw invalid(List.of(new Problem.Violation("tags", "at most " + MAX_TAGS + " tags")));
        }
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw invalid(List.of(new Problem.Violation("tags[" + i + "]",
                        "1 to 50 letters, digits, spaces or _ . : / -, starting with a letter or digit")));
            }
        }
        return List.copyOf(new LinkedHashSet<>(tags));
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            var names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (name.indexOf('\0') >= 0 || containsNul(node.get(name))) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode element : node) {
            if (containsNul(element)) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException invalid(List<Problem.Violation> violations) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, 400, "the workflow is not acceptable", violations);
    }
}
