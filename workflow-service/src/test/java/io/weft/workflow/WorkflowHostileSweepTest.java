package io.weft.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.testsupport.HostileSweepContractTest;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;

/** The hostile sweep over workflow-service's operations, by a tenant's owner (issue 19). */
@QuarkusTest
class WorkflowHostileSweepTest extends HostileSweepContractTest {
    private final UUID tenant = UUID.randomUUID();
    private final String owner = InternalTokens.user(tenant, "owner-1", "owner");

    @Inject
    Pool pool;

    @Override
    protected String authorization(String path) {

        return "Bearer " + owner;
    }

    @Override
    protected void assertNothingWritten() {
        long rows = pool.preparedQuery("SELECT (SELECT count(*) FROM workflows WHERE tenant_id = $1) + (SELECT count(*) FROM executions WHERE tenant_id = $1) AS n").execute(Tuple.of(tenant)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
        assertThat(rows).isZero();
    }
}
