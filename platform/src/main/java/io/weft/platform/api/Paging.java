package io.weft.platform.api;

import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * Keyset paging for list endpoints: a page size and an opaque cursor that names where the
 * previous page ended (a time to the microsecond and an id). Bad values are 400 problems that
 * name the parameter.
 */
public final class Paging {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final int MAX_CURSOR_CHARS = 200;

    /** Where a page ended: the last row's time and id. */
    public record Position(Instant at, String id) {
    }

    /** A page of rows and the cursor of the next one (null on the last page). */
    public record Slice<T>(List<T> rows, String nextCursor) {
    }

    private Paging() {
    }

    public static int limit(String value) {
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

    /**
     * The page of {@code rows}, read with one row more than {@code limit} asks for: that row, when it
     * came, says another page follows, whose cursor is where the page's last row ({@code positionOf})
     * stands.
     */
    public static <T> Slice<T> slice(List<T> rows, int limit, java.util.function.Function<T, Position> positionOf) {
        if (rows.size() <= limit) {
            return new Slice<>(rows, null);
        }
        List<T> page = rows.subList(0, limit);
        Position last = positionOf.apply(page.get(limit - 1));
        return new Slice<>(page, encode(last.at(), last.id()));
    }

    /** A random UUID as an API takes it in a path or a cursor (36 characters); anything else is empty. */
    public static java.util.Optional<java.util.UUID> uuid(String id) {
        if (id == null || id.length() != 36) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.util.UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    public static String encode(Instant at, String id) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names, or null without one. */
    public static Position decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            if (cursor.length() > MAX_CURSOR_CHARS) {
                throw new IllegalArgumentException("too long");
            }
            String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            String id = text.substring(bar + 1);
            if (bar < 1 || id.isEmpty()) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new Position(Instant.EPOCH.plus(Long.parseLong(text.substring(0, bar)), ChronoUnit.MICROS), id);
        } catch (RuntimeException e) {
            throw invalid("cursor", "is not a cursor this API gave out; start again without it");
        }
    }

    /** A free-text filter, refused when longer than {@code maxLength} or holding NUL. */
    public static String bounded(String parameter, String value, int maxLength) {
        if (value.length() > maxLength || value.indexOf('\0') >= 0) {
            throw invalid(parameter, "must be at most " + maxLength + " characters, without NUL");
        }
        return value;
    }

    public static ProblemException invalid(String parameter, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, 400, parameter + " " + message,
                List.of(new Problem.Violation(parameter, message)));
    }
}
