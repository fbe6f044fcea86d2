package io.weft.credentials;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.DatabaseMigrationContractTest;

@QuarkusTest
class CredentialsMigrationTest extends DatabaseMigrationContractTest {

    @Override
    protected String database() {
        return "weft_credentials_test";
    }
}
