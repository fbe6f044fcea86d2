package io.weft.platform.health;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Readiness of the service's own PostgreSQL database: one {@code SELECT 1} through the reactive pool. */
public final class PostgresProbe {
    public static final String NAME = "postgresql";

    private final Pool pool;
    private final String target;
    private final Duration timeout;

    /** @param target host, port and database, for the answer; never credentials */
    public PostgresProbe(Pool pool, String target, Duration timeout) {
        this.pool = pool;
        this.target = target;
        this.timeout = timeout;
    }

    public Uni<HealthCheckResponse> check() {
        return Probes.probe(NAME, target, timeout, () -> pool.query("SELECT 1").execute());
    }

    /** {@code postgresql://user:secret@host:5432/db?x=y} → {@code host:5432/db}. */
    public static String describe(String url) {
        String rest = url.replaceFirst("^[a-z:]*//", "");
        rest = rest.substring(rest.lastIndexOf('@') + 1);
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }
}
