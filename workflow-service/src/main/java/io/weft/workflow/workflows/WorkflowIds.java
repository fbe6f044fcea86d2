package io.weft.workflow.workflows;

import io.weft.platform.problems.ProblemException;
import java.util.UUID;

/** Workflow ids and version numbers in requests, and the answers for workflows that are not there. */
public final class WorkflowIds {

    private WorkflowIds() {
    }

    /** A malformed id names no workflow: 404, like an id of another tenant. */
    public static UUID parse(String id) {
        if (id == null || id.length() != 36) {
            throw notFound();
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    /** A version number in a path or query parameter: 1 or more. */
    public static int version(String parameter, String value) {
        if (value != null && !value.isEmpty() && value.length() <= 9 && value.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(value);
            if (number >= 1) {
                return number;
            }
        }
        throw ListCursors.invalid(parameter, "must be a version number (1 or more)");
    }

    public static ProblemException notFound() {
        return ProblemException.notFound("workflow");
    }

    static Workflow written(WorkflowStore.Written written) {
        if (written.refusal() == WorkflowStore.Refusal.STALE) {
            throw Preconditions.stale();
        }
        if (written.refusal() == WorkflowStore.Refusal.NOT_FOUND) {
            throw notFound();
        }
        return written.workflow();
    }
}
