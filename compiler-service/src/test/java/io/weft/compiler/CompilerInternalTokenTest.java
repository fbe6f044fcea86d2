package io.weft.compiler;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokenContractTest;

@QuarkusTest
class CompilerInternalTokenTest extends InternalTokenContractTest {
}
