package io.weft.executor;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.TenantSweepContractTest;

/** The hostile sweep over executor-service's operations, by a tenant's owner (issue 19). */
@QuarkusTest
class ExecutorHostileSweepTest extends TenantSweepContractTest {

    @Override
    protected String rowsWritten() {
        return "SELECT (SELECT count(*) FROM dead_letters WHERE tenant_id::text = $1) + (SELECT count(*) FROM executions WHERE tenant_id::text = $1)";
    }
}
