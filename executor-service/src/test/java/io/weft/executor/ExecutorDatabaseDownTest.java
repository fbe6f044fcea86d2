package io.weft.executor;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testsupport.DatabaseDownProfile;
import io.weft.testsupport.DependencyDownContractTest;

@QuarkusTest
@TestProfile(DatabaseDownProfile.class)
class ExecutorDatabaseDownTest extends DependencyDownContractTest {

    @Override
    protected String unreachableDependency() {
        return "postgresql";
    }
}
