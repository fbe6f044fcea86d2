package io.weft.workflow.workflows;

import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Paging of workflow lists: {@link Paging}'s cursors over (updated at, workflow id). */
final class ListCursors {

    private ListCursors() {
    }

    static int limit(String value) {
        return Paging.limit(value);
    }

    static String encode(Workflow last) {
        return Paging.encode(last.updatedAt().toInstant(), last.id().toString());
    }

    static WorkflowStore.ListCursor decode(String cursor) {
        Paging.Position position = Paging.decode(cursor);
        if (position == null) {
            return null;
        }
        try {
            return new WorkflowStore.ListCursor(OffsetDateTime.ofInstant(position.at(), ZoneOffset.UTC), UUID.fromString(position.id()));
        } catch (IllegalArgumentException e) {
            throw invalid("cursor", "is not a cursor this API gave out; start again without it");
        }
    }

    static String bounded(String parameter, String value, int maxLength) {
        return Paging.bounded(parameter, value, maxLength);
    }

    static ProblemException invalid(String parameter, String message) {
        return Paging.invalid(parameter, message);
    }
}
