package io.weft.platform.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.weft.contracts.problems.ProblemType;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem details body.
 *
 * @param instance   the request path the problem happened on
 * @param violations for validation problems: each invalid field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemType type, int status, String detail, String instance) {
        return new Problem(type.uri(), type.title(), status, detail, instance, null);
    }

    public Problem withViolations(List<Violation> violations) {
        return new Problem(type, title, status, detail, instance, violations.isEmpty() ? null : List.copyOf(violations));
    }

    /** @param field the path of the invalid value, e.g. {@code name} or {@code nodes[2].id} */
    public record Violation(String field, String message) {
    }
}
