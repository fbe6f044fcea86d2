package io.weft.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.DatabaseMigrationContractTest;

@QuarkusTest
class GatewayMigrationTest extends DatabaseMigrationContractTest {

    @Override
    protected String database() {
        return "weft_gateway_test";
    }
}
