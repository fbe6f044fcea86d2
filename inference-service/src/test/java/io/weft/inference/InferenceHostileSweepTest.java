package io.weft.inference;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.TenantSweepContractTest;

/** The hostile sweep over inference-service's operations, by a tenant's owner (issue 19). */
@QuarkusTest
class InferenceHostileSweepTest extends TenantSweepContractTest {

    @Override
    protected String rowsWritten() {
        return "SELECT (SELECT count(*) FROM knowledge_bases WHERE tenant_id = $1::uuid) + (SELECT count(*) FROM ingest_jobs WHERE tenant_id = $1::uuid)";
    }
}
