package io.weft.logs;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.TenantSweepContractTest;

/** The hostile sweep over logs-service's operations, by a tenant's owner (issue 19). */
@QuarkusTest
class LogsHostileSweepTest extends TenantSweepContractTest {

    @Override
    protected String rowsWritten() {
        return "SELECT count(*) FROM redaction_policies WHERE tenant_id = $1::uuid";
    }
}
