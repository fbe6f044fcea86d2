package io.weft.gateway.ratelimits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.gateway.forwarding.FakeUpstream;
import io.weft.gateway.identity.TestAccounts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis unreachable and weft.gateway.rate-limits.when-redis-down=deny: forwarded requests get 503. */
@QuarkusTest
@TestProfile(RedisDownDenyTest.Profile.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class RedisDownDenyTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "weft.gateway.rate-limits.when-redis-down", "deny");
        }
    }

    @Test
    void requestsAreRefusedWith503() {
        String token = TestAccounts.signup("redis-deny").getString("accessToken");
        given().auth().oauth2(token).get("/api/compile/echo").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("type", equalTo("https://weft.dev/problems/dependency-unavailable"));
    }
}
