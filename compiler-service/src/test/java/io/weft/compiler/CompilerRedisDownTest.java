package io.weft.compiler;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testsupport.DependencyDownContractTest;
import io.weft.testsupport.RedisDownProfile;

/** compiler-service owns no database; Redis (the compiled-plan cache) is what it cannot work without. */
@QuarkusTest
@TestProfile(RedisDownProfile.class)
class CompilerRedisDownTest extends DependencyDownContractTest {

    @Override
    protected String unreachableDependency() {
        return "redis";
    }
}
