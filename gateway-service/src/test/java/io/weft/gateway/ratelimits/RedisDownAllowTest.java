package io.weft.gateway.ratelimits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.gateway.forwarding.FakeUpstream;
import io.weft.gateway.identity.TestAccounts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis unreachable and weft.gateway.rate-limits.when-redis-down=allow: requests pass, unlimited. */
@QuarkusTest
@TestProfile(RedisDownAllowTest.Profile.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class RedisDownAllowTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "weft.gateway.rate-limits.when-redis-down", "allow");
        }
    }

    @Test
    void requestsPassUnlimited() {
        String token = TestAccounts.signup("redis-allow").getString("accessToken");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/api/compile/echo").then().statusCode(200)
                    .header("RateLimit", nullValue());
        }
    }
}
