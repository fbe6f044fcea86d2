package io.weft.workflow;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.DatabaseMigrationContractTest;

@QuarkusTest
class WorkflowMigrationTest extends DatabaseMigrationContractTest {

    @Override
    protected String database() {
        return "weft_workflow_test";
    }
}
