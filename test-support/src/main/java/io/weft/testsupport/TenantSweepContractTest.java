package io.weft.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;

/**
 * The hostile sweep as a service behind the gateway sees it: the caller is the owner of a tenant of
 * its own, and nothing was written when {@link #rowsWritten} counts no row of that tenant.
 */
public abstract class TenantSweepContractTest extends HostileSweepContractTest {
    protected final UUID tenant = UUID.randomUUID();
    protected final String owner = InternalTokens.user(tenant, "owner-1", "owner");

    @Inject
    Pool pool;

    /** A query of one number, the rows of the tenant ({@code $1}, its id as text) the sweep must not have written. */
    protected abstract String rowsWritten();

    @Override
    protected String authorization(String path) {
        return "Bearer " + owner;
    }

    @Override
    protected void assertNothingWritten() {
        long rows = pool.preparedQuery(rowsWritten()).execute(Tuple.of(tenant.toString())).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
        assertThat(rows).as("rows the sweep wrote").isZero();
    }
}
