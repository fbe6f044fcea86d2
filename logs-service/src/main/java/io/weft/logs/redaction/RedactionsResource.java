package io.weft.logs.redaction;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.logs.api.Params;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** How many values of each category were masked before the tenant's logs were stored, by UTC day (never the values). */
@Path("/api/logs/redactions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class RedactionsResource {
    /** @param counts by category wire name */
    public record Day(Instant day, Map<String, Long> counts) {
    }

    public record Redactions(Instant from, Instant to, Map<String, Long> total, List<Day> days) {
    }

    private final Pool pool;
    private final Caller caller;
    private final Clock clock;

    RedactionsResource(Pool pool, Caller caller, Clock clock) {
        this.pool = pool;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Masked values by category and UTC day over [from, to) in whole days (from rounded down, to up; default: the last 30 days)")
    public Uni<Redactions> redactions(@QueryParam("from") String from, @QueryParam("to") String to) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.LOGS_READ);
        Params.Range range = Params.range(from, to, clock.instant(), Duration.ofDays(30), ChronoUnit.DAYS);
        return pool.preparedQuery("SELECT day, category, sum(count) AS count FROM redaction_stats WHERE tenant_id = $1 AND day >= $2"
                        + " AND day < $3 GROUP BY 1, 2")
                .execute(Tuple.of(tenant, range.from(), range.to()))
                .map(rows -> {
                    Map<String, Long> total = new TreeMap<>();
                    Map<Instant, Map<String, Long>> byDay = new TreeMap<>();
                    for (Row row : rows) {
                        String category = row.getString("category");
                        long count = row.getLong("count");
                        total.merge(category, count, Long::sum);
                        byDay.computeIfAbsent(row.getOffsetDateTime("day").toInstant(), day -> new TreeMap<>()).put(category, count);
                    }
                    return new Redactions(range.from().toInstant(), range.to().toInstant(), total,
                            byDay.entrySet().stream().map(e -> new Day(e.getKey(), e.getValue())).toList());
                });
    }
}
