package io.weft.credentials;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokenContractTest;

@QuarkusTest
class CredentialsInternalTokenTest extends InternalTokenContractTest {
}
