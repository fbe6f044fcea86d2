package io.weft.executor.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** An HTTP {@code Retry-After} header (RFC 9110): seconds, or an HTTP date. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** How long the other side asked to wait; empty when the value is absent, negative or unreadable. */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration left = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(left.isNegative() ? Duration.ZERO : left);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }
}
