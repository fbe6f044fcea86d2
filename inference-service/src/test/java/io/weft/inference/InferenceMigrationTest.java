package io.weft.inference;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.DatabaseMigrationContractTest;

@QuarkusTest
class InferenceMigrationTest extends DatabaseMigrationContractTest {

    @Override
    protected String database() {
        return "weft_inference_test";
    }
}
