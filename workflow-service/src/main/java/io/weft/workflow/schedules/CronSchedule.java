package io.weft.workflow.schedules;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A cron expression in a time zone: five fields (minute hour day-of-month month day-of-week, as
 * Unix cron) or six with seconds first. Ticks are computed in the zone, so "0 9 * * *" in
 * Europe/Paris is 09:00 there in winter and in summer. Ticks are whole seconds.
 */
public final class CronSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException with a message that says what is wrong */
    public static CronSchedule of(String cron, String timezone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timezone \"" + timezone + "\" is not an IANA time zone such as Europe/Paris");
        }
        String trimmed = cron == null ? "" : cron.trim();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException("cron \"" + cron + "\" must have five fields (or six with seconds first)");
        }
        try {
            return new CronSchedule(ExecutionTime.forCron((fields == 5 ? UNIX : WITH_SECONDS).parse(trimmed)), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron \"" + cron + "\" is not valid: " + e.getMessage());
        }
    }

    /** The first tick strictly after {@code after}; empty when the expression never fires again. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(after.truncatedTo(ChronoUnit.SECONDS).atZone(zone))
                .map(time -> time.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The last tick at or before {@code at}. */
    public Optional<Instant> last(Instant at) {
        return times.lastExecution(at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone))
                .map(time -> time.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }
}
