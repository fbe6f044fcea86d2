package io.weft.credentials;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testsupport.DatabaseDownProfile;
import io.weft.testsupport.DependencyDownContractTest;

@QuarkusTest
@TestProfile(DatabaseDownProfile.class)
class CredentialsDatabaseDownTest extends DependencyDownContractTest {

    @Override
    protected String unreachableDependency() {
        return "postgresql";
    }
}
