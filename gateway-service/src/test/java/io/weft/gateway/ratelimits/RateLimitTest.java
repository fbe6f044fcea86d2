package io.weft.gateway.ratelimits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.weft.gateway.forwarding.FakeUpstream;
import io.weft.gateway.identity.TestAccounts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real Redis, tiny limits: 8 requests per minute per tenant, 5 per caller. */
@QuarkusTest
@TestProfile(RateLimitTest.TinyLimits.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    public static class TinyLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("weft.gateway.rate-limits.tiers.free.tenant", "8",
                    "weft.gateway.rate-limits.tiers.free.caller", "5");
        }
    }

    @Test
    void trafficUnderTheLimitPassesWithHeadersAndABurstOverItGets429() {
        String owner = TestAccounts.signup("limits").getString("accessToken");

        for (int i = 1; i <= 5; i++) {
            Response response = given().auth().oauth2(owner).get("/api/compile/echo");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.header("RateLimit-Policy")).isEqualTo("\"tenant\";q=8;w=60, \"caller\";q=5;w=60");
            assertThat(response.header("RateLimit")).isEqualTo("\"caller\";r=" + (5 - i) + ";t=" + (12 * i));
        }

        given().auth().oauth2(owner).get("/api/compile/echo").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "12")
                .header("RateLimit", "\"caller\";r=0;t=60")
                .body("type", equalTo("https://weft.dev/problems/rate-limited"))
                .body("detail", equalTo("the caller limit of 5 requests per 60 s is used up; retry after 12 s"));
    }

    @Test
    void theTenantLimitIsSharedByItsCallers() {
        String owner = TestAccounts.signup("shared").getString("accessToken");
        String editor = TestAccounts.addUser(owner, "editor");

        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(owner).get("/api/compile/echo").then().statusCode(200);
        }
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(editor).get("/api/compile/echo").then().statusCode(200);
        }
        given().auth().oauth2(editor).get("/api/compile/echo").then().statusCode(429)
                .body("detail", org.hamcrest.Matchers.startsWith("the tenant limit of 8"));

        String otherTenant = TestAccounts.signup("unaffected").getString("accessToken");
        given().auth().oauth2(otherTenant).get("/api/compile/echo").then().statusCode(200);
    }

    @Test
    void refusedRequestsNeverReachTheService() {
        String owner = TestAccounts.signup("refused").getString("accessToken");
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(owner).get("/api/compile/echo").then().statusCode(200);
        }
        given().auth().oauth2(owner).get("/api/compile/echo").then().statusCode(429)
                .header("X-Upstream", org.hamcrest.Matchers.nullValue());
    }
}
