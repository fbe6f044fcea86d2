package io.weft.logs;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokenContractTest;

@QuarkusTest
class LogsInternalTokenTest extends InternalTokenContractTest {
}
