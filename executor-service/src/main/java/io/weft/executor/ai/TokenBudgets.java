package io.weft.executor.ai;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.TokenReservation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Tenants' monthly budgets of language-model tokens, shared by every executor ({@code llm_token_meter}).
 * A call reserves its estimate with one conditional statement — two executors can never both take the
 * last tokens — and settles to what the provider counted when it answers. Blocking: nodes run on
 * virtual threads.
 */
@ApplicationScoped
public class TokenBudgets {
    private static final Logger LOG = Logger.getLogger(TokenBudgets.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * The meter's statements commit without waiting for the disk (0.1 ms instead of 0.3 ms on this
     * machine's loopback): a database crash may forget the last fraction of a second of charges, which
     * lets a tenant overspend by a few calls, never lose a run.
     */
    private static final String RELAXED_COMMIT = "SELECT set_config('synchronous_commit', 'off', true)";

    private final Pool pool;

    TokenBudgets(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes {@code tokens} (at least 1) from the tenant's budget of this month (UTC), or fails with
     * {@code QUOTA} when they do not fit — before any provider is asked.
     */
    public TokenReservation reserve(String tenantId, long budget, long tokens) {
        Taken taken = take(tenantId, budget, tokens)
                .orElseThrow(() -> new NodeFailure(ErrorKind.QUOTA, false, refusal(tenantId, budget, tokens)));
        return used -> settle(tenantId, taken.month(), used - taken.tokens());
    }

    /** Tokens taken from the meter of {@code month} (its first day), to be settled there. */
    public record Taken(LocalDate month, long tokens) {
    }

    /** Takes {@code tokens} (at least 1) from the tenant's budget of this month (UTC); empty when they do not fit. */
    public Optional<Taken> take(String tenantId, long budget, long tokens) {
        long asked = Math.max(1, tokens);
        if (asked > budget) {
            return Optional.empty();
        }
        RowSet<Row> rows = pool.preparedQuery("""
                        WITH relaxed AS (%s)
                        INSERT INTO llm_token_meter AS m (tenant_id, month, used, budget)
                        SELECT $1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, $2, $3 FROM relaxed
                        ON CONFLICT (tenant_id, month) DO UPDATE SET used = m.used + $2, budget = $3 WHERE m.used + $2 <= $3
                        RETURNING month""".formatted(RELAXED_COMMIT))
                .execute(Tuple.of(tenantId, asked, budget)).await().atMost(TIMEOUT);
        return rows.rowCount() == 0 ? Optional.empty() : Optional.of(new Taken(rows.iterator().next().getLocalDate("month"), asked));
    }

    /**
     * Corrects the meter of {@code month} by {@code difference} tokens (what a call used less what it
     * took; never below zero). A failure is logged, not thrown: the call has its answer, and a meter
     * that could not be corrected is off by one call's estimate.
     */
    public void settle(String tenantId, LocalDate month, long difference) {
        if (difference == 0) {
            return;
        }
        try {
            pool.preparedQuery("WITH relaxed AS (" + RELAXED_COMMIT + ") UPDATE llm_token_meter SET used = GREATEST(0, used + $3)"
                            + " FROM relaxed WHERE tenant_id = $1 AND month = $2")
                    .execute(Tuple.of(tenantId, month, difference)).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("the token meter of a tenant could not be settled by %d tokens: %s", difference, e.getMessage());
        }
    }

    /**
     * A tenant's meter this month (UTC).
     *
     * @param month    the first day of the month
     * @param used     tokens charged, with the estimates of calls in flight
     * @param budget   the budget the tenant's last model call was held to; null before its first this month
     * @param renewsOn when the next month's meter starts from zero
     */
    public record Meter(LocalDate month, long used, Long budget, LocalDate renewsOn) {
    }

    public Meter thisMonth(String tenantId) {
        RowSet<Row> rows = pool.preparedQuery("SELECT used, budget FROM llm_token_meter WHERE tenant_id = $1"
                        + " AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date")
                .execute(Tuple.of(tenantId)).await().atMost(TIMEOUT);
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        Row row = rows.rowCount() == 0 ? null : rows.iterator().next();
        return new Meter(month, row == null ? 0 : row.getLong("used"), row == null ? null : row.getLong("budget"), month.plusMonths(1));
    }

    /** Why {@code tokens} do not fit: the budget, what was used this month and when it renews. */
    public String refusal(String tenantId, long budget, long tokens) {
        Meter meter = thisMonth(tenantId);
        return "the organisation's language-model budget of " + budget + " tokens a month does not hold this call (about "
                + Math.max(1, tokens) + " tokens; " + meter.used() + " used this month); it renews on " + meter.renewsOn()
                + ", or a higher tier has a larger one";
    }
}
