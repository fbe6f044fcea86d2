package io.weft.workflow.workflows;

import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Paging parameters: page size and opaque cursors (where the previous page ended). */
final class ListCursors {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private ListCursors() {
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    static String encode(Workflow last) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, last.updatedAt().toInstant());
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
    }

    static WorkflowStore.ListCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            if (cursor.length() > 100) {
                throw new IllegalArgumentException("too long");
            }
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|");
            Instant at = Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS);
            return new WorkflowStore.ListCursor(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw invalid("cursor", "is not a cursor this API gave out; start again without it");
        }
    }

    static String bounded(String parameter, String value, int maxLength) {
        if (value.length() > maxLength || value.indexOf('\0') >= 0) {
            throw invalid(parameter, "must be at most " + maxLength + " characters, without NUL");
        }
        return value;
    }

    static ProblemException invalid(String parameter, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, 400, parameter + " " + message,
                List.of(new Problem.Violation(parameter, message)));
    }
}
