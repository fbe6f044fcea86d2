package io.weft.credentials;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokens;
import io.weft.testsupport.TenantSweepContractTest;

/** The hostile sweep over credentials-service's operations, by a tenant's owner and, on internal endpoints, the services they take (issue 19). */
@QuarkusTest
class CredentialsHostileSweepTest extends TenantSweepContractTest {

    @Override
    protected String authorization(String path) {
        if (path.startsWith("/internal/credentials/lookup") || path.endsWith("/resolve")) {
            return "Bearer " + InternalTokens.service(tenant, "executor", "credentials:resolve", "credentials:read");
        }
        if (path.endsWith("/verify")) {
            return "Bearer " + InternalTokens.service(tenant, "workflow", "credentials:verify");
        }
        return super.authorization(path);
    }

    @Override
    protected String rowsWritten() {
        return "SELECT count(*) FROM credentials WHERE tenant_id = $1::uuid";
    }
}
