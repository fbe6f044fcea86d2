package io.weft.workflow.workflows;

import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;

/** {@code If-Match} handling: workflows use their revision as a strong ETag, {@code "<revision>"}. */
final class Preconditions {

    private Preconditions() {
    }

    /** The revision the client last read; a write without one is refused with 428. */
    static long required(String ifMatch) {
        Long revision = optional(ifMatch);
        if (revision == null) {
            throw new ProblemException(ProblemType.PRECONDITION_REQUIRED,
                    "send If-Match with the ETag you last read, so that you cannot overwrite someone else's change");
        }
        return revision;
    }

    /** The revision in {@code If-Match}, or null when the header is absent or {@code *} (any revision). */
    static Long optional(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() < 3 || tag.length() > 21 || !tag.startsWith("\"") || !tag.endsWith("\"")
                || !tag.substring(1, tag.length() - 1).chars().allMatch(Character::isDigit)) {
            throw stale();
        }
        return Long.parseLong(tag.substring(1, tag.length() - 1));
    }

    static ProblemException stale() {
        return new ProblemException(ProblemType.PRECONDITION_FAILED,
                "the workflow changed since you read it (every save, activation, deactivation and restore moves its ETag):"
                        + " read it again and send its current ETag with your change");
    }
}
