package io.weft.workflow;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.TenantSweepContractTest;

/** The hostile sweep over workflow-service's operations, by a tenant's owner (issue 19). */
@QuarkusTest
class WorkflowHostileSweepTest extends TenantSweepContractTest {

    @Override
    protected String rowsWritten() {
        return "SELECT (SELECT count(*) FROM workflows WHERE tenant_id = $1::uuid) + (SELECT count(*) FROM executions WHERE tenant_id = $1::uuid)"
                + " + (SELECT count(*) FROM idempotency_keys WHERE tenant_id = $1::uuid)";
    }
}
