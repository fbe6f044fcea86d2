package io.weft.logs;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.DatabaseMigrationContractTest;

@QuarkusTest
class LogsMigrationTest extends DatabaseMigrationContractTest {

    @Override
    protected String database() {
        return "weft_logs_test";
    }
}
