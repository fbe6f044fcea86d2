package io.weft.inference;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testsupport.DatabaseDownProfile;
import io.weft.testsupport.DependencyDownContractTest;

@QuarkusTest
@TestProfile(DatabaseDownProfile.class)
class InferenceDatabaseDownTest extends DependencyDownContractTest {

    @Override
    protected String unreachableDependency() {
        return "postgresql";
    }
}
