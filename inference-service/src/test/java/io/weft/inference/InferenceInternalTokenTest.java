package io.weft.inference;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokenContractTest;

@QuarkusTest
class InferenceInternalTokenTest extends InternalTokenContractTest {
}
