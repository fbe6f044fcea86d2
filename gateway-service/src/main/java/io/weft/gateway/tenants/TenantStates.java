package io.weft.gateway.tenants;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's tier and whether it is suspended, as the gateway acts on them for every request: a
 * token's tier claim may be up to 15 minutes old, so rate limits, body limits and the internal token
 * take the tier from here. A replica keeps what it read for {@link #REMEMBER}: an operator's change
 * reaches every replica within that time (the replica that made it, at once).
 */
@ApplicationScoped
public class TenantStates {
    public static final Duration REMEMBER = Duration.ofSeconds(30);
    private static final int MAX_CACHED = 100_000;

    /** A tenant the gateway does not know has no state: its tokens are refused. */
    public record State(Tier tier, boolean suspended) {
    }

    private record Remembered(State state, Instant until) {
    }

    private final Pool pool;
    private final Clock clock;
    private final Map<UUID, Remembered> cache = new ConcurrentHashMap<>();

    TenantStates(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** The tenant's state, or a 401 problem when the tenant no longer exists. */
    public Uni<State> of(UUID tenant) {
        Instant now = clock.instant();
        Remembered remembered = cache.get(tenant);
        if (remembered != null && now.isBefore(remembered.until())) {
            return Uni.createFrom().item(remembered.state());
        }
        return pool.preparedQuery("SELECT tier, suspended_at IS NOT NULL AS suspended FROM tenants WHERE id = $1")
                .execute(Tuple.of(tenant))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(ProblemType.UNAUTHORIZED, "the token's organisation no longer exists");
                    }
                    var row = rows.iterator().next();
                    State state = new State(Tier.fromWireName(row.getString("tier")), row.getBoolean("suspended"));
                    if (cache.size() >= MAX_CACHED) {
                        cache.clear();
                    }
                    cache.put(tenant, new Remembered(state, now.plus(REMEMBER)));
                    return state;
                });
    }

    /** The tenant's state when it may act; 403 when it is suspended. */
    public Uni<State> active(UUID tenant) {
        return of(tenant).invoke(state -> {
            if (state.suspended()) {
                throw suspended();
            }
        });
    }

    public static ProblemException suspended() {
        return new ProblemException(ProblemType.FORBIDDEN,
                "the organisation is suspended: its data is kept, but nothing can be done until an operator reactivates it");
    }

    /** After a change on this replica: the next request reads it. */
    public void forget(UUID tenant) {
        cache.remove(tenant);
    }
}
