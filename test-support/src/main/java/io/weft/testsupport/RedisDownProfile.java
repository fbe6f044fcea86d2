package io.weft.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Starts the service with Redis pointed at a port where nothing listens, as if Redis were down. */
public class RedisDownProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.redis.hosts", "redis://" + DatabaseDownProfile.UNREACHABLE);
    }
}
