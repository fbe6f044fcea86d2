package io.weft.logs.api;

import io.weft.platform.api.Paging;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Query parameters of the logs APIs: each bad value is a 400 problem naming the parameter. */
public final class Params {
    /** Longest id or name a filter may hold. */
    public static final int MAX_ID = 200;
    /** Instants PostgreSQL and the client's encoding hold, with room for ranges around them. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    private Params() {
    }

    /** An optional free-text filter (blank means none). */
    public static String text(String parameter, String value) {
        return value == null || value.isBlank() ? null : Paging.bounded(parameter, value.strip(), MAX_ID);
    }

    public static OffsetDateTime time(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = Instant.parse(Paging.bounded(parameter, value.strip(), 40));
            if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
                throw Paging.invalid(parameter, "must be in the years 1 to 9999");
            }
            return instant.atOffset(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw Paging.invalid(parameter, "must be an instant such as 2026-11-26T08:00:00Z");
        }
    }

    /** A time range [from, to) of a summary in whole units. */
    public record Range(OffsetDateTime from, OffsetDateTime to) {
        public Duration length() {
            return Duration.between(from, to);
        }
    }

    /** The longest range a summary covers. */
    private static final Duration LONGEST_RANGE = Duration.ofDays(400);

    /**
     * [from, to) in whole {@code unit}s — from rounded down, to up; to defaults to {@code now}, from to
     * {@code fallback} before to — at most 400 days long.
     */
    public static Range range(String from, String to, Instant now, Duration fallback, ChronoUnit unit) {
        OffsetDateTime end = time("to", to);
        end = roundedUp(end != null ? end : now.atOffset(ZoneOffset.UTC), unit);
        OffsetDateTime start = time("from", from);
        start = (start != null ? start : end.minus(fallback)).truncatedTo(unit);
        requireOrdered(start, end);
        if (Duration.between(start, end).compareTo(LONGEST_RANGE) > 0) {
            throw Paging.invalid("from", "must be at most 400 days before to");
        }
        return new Range(start, end);
    }

    private static OffsetDateTime roundedUp(OffsetDateTime time, ChronoUnit unit) {
        OffsetDateTime down = time.truncatedTo(unit);
        return down.equals(time) ? time : down.plus(1, unit);
    }

    /** A time range [from, to), from before to. */
    public static void requireOrdered(OffsetDateTime from, OffsetDateTime to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw Paging.invalid("to", "must be later than from");
        }
    }

    /** Comma-separated values, each one of {@code allowed}. */
    public static Set<String> oneOf(String parameter, String value, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : Paging.bounded(parameter, value, 200).split(",")) {
            String wanted = part.strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(wanted)) {
                throw Paging.invalid(parameter, "must be one or more of " + String.join(", ", allowed.stream().sorted().toList()));
            }
            chosen.add(wanted);
        }
        return chosen;
    }

    public static Duration duration(String parameter, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(Paging.bounded(parameter, value.strip(), 40));
        } catch (DateTimeParseException e) {
            throw Paging.invalid(parameter, "must be an ISO-8601 duration such as PT1H or P1D");
        }
    }
}
