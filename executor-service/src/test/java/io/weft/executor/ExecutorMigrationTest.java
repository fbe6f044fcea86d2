package io.weft.executor;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.DatabaseMigrationContractTest;

@QuarkusTest
class ExecutorMigrationTest extends DatabaseMigrationContractTest {

    @Override
    protected String database() {
        return "weft_executor_test";
    }
}
