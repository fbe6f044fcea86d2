package io.weft.compiler;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.HostileSweepContractTest;
import io.weft.testsupport.InternalTokens;
import java.util.UUID;

/** The hostile sweep over compiler-service's operations, by a tenant's owner (issue 19). */
@QuarkusTest
class CompilerHostileSweepTest extends HostileSweepContractTest {
    private final String owner = InternalTokens.user(UUID.randomUUID(), "owner-1", "owner");

    @Override
    protected String authorization(String path) {
        return "Bearer " + owner;
    }

    @Override
    protected void assertNothingWritten() {
        // The compiler keeps nothing of a request but the plans of definitions that compile, and none of these does.
    }
}
