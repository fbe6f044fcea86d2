package io.weft.platform.problems;

import io.weft.contracts.problems.ProblemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error a service answers deliberately, with its problem type. The detail is shown to the
 * caller, so it must not contain secrets or internals.
 */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final int status;
    private final List<Problem.Violation> violations;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(ProblemType type, String detail) {
        this(type, type.status(), detail, List.of());
    }

    public ProblemException(ProblemType type, int status, String detail, List<Problem.Violation> violations) {
        super(detail);
        this.type = type;
        this.status = status;
        this.violations = List.copyOf(violations);
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return status;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }

    /** Adds a response header to the answer, e.g. {@code Retry-After}. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }
}
