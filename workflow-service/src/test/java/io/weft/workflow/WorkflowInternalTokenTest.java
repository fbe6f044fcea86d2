package io.weft.workflow;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokenContractTest;

@QuarkusTest
class WorkflowInternalTokenTest extends InternalTokenContractTest {
}
