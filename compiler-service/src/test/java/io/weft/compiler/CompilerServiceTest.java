package io.weft.compiler;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.ServiceContractTest;
import java.util.Set;

@QuarkusTest
class CompilerServiceTest extends ServiceContractTest {

    @Override
    protected Set<String> dependencies() {
        return Set.of("redis");
    }
}
