package io.weft.executor;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokenContractTest;

@QuarkusTest
class ExecutorInternalTokenTest extends InternalTokenContractTest {
}
