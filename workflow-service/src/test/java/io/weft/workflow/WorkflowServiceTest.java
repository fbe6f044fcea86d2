package io.weft.workflow;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.ServiceContractTest;
import java.util.Set;

@QuarkusTest
class WorkflowServiceTest extends ServiceContractTest {

    @Override
    protected Set<String> dependencies() {
        return Set.of("postgresql", "redis", "kafka");
    }
}
