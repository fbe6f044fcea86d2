package io.weft.logs.partitions;

import io.weft.contracts.identity.Tier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One day partition of a tier of a table, e.g. {@code execution_log_pro_20261126} (days in UTC). */
public record PartitionDay(LogTable table, Tier tier, LocalDate day) {
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern NAME = Pattern.compile("([a-z_]+)_(free|pro|enterprise)_(\\d{8})");

    public static PartitionDay of(LogTable table, Tier tier, Instant at) {
        return new PartitionDay(table, tier, LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    public String name() {
        return tierTable() + "_" + BASIC.format(day);
    }

    /** The tier's partition of the table, which holds the day partitions. */
    public String tierTable() {
        return table.tableName() + "_" + tier.wireName();
    }

    /** The day partition a table name stands for, if it is one. */
    public static Optional<PartitionDay> parse(String name) {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        for (LogTable table : LogTable.values()) {
            if (table.tableName().equals(matcher.group(1))) {
                return Optional.of(new PartitionDay(table, Tier.fromWireName(matcher.group(2).toLowerCase(Locale.ROOT)),
                        LocalDate.parse(matcher.group(3), BASIC)));
            }
        }
        return Optional.empty();
    }

    String createStatement() {
        return "CREATE TABLE IF NOT EXISTS %s PARTITION OF %s FOR VALUES FROM ('%s 00:00:00+00') TO ('%s 00:00:00+00')"
                .formatted(name(), tierTable(), day, day.plusDays(1));
    }
}
