package io.weft.inference;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.ServiceContractTest;
import java.util.Set;

@QuarkusTest
class InferenceServiceTest extends ServiceContractTest {

    @Override
    protected Set<String> dependencies() {
        return Set.of("postgresql", "kafka");
    }
}
