package io.weft.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.ServiceContractTest;
import java.util.Set;

@QuarkusTest
class GatewayServiceTest extends ServiceContractTest {

    @Override
    protected Set<String> dependencies() {
        return Set.of("postgresql", "redis", "kafka");
    }
}
