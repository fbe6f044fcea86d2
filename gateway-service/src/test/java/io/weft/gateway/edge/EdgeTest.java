package io.weft.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.weft.gateway.forwarding.FakeUpstream;
import io.weft.gateway.identity.TestAccounts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CORS for a configured origin, security headers on every answer, and body limits. */
@QuarkusTest
@TestProfile(EdgeTest.WithCors.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class EdgeTest {
    private static final String APP = "https://app.example.com";

    public static class WithCors implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("weft.gateway.edge.cors-origins", APP);
        }
    }

    private static void hasSecurityHeaders(ValidatableResponse response) {
        response.header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }

    @Test
    void everyKindOfAnswerCarriesTheSecurityHeaders() {
        String token = TestAccounts.signup("edge").getString("accessToken");
        hasSecurityHeaders(given().auth().oauth2(token).get("/api/users/me").then().statusCode(200));
        hasSecurityHeaders(given().auth().oauth2(token).get("/api/compile/echo").then().statusCode(200));
        hasSecurityHeaders(given().get("/api/compile/echo").then().statusCode(401));
        hasSecurityHeaders(given().get("/nothing-here").then().statusCode(404));
        hasSecurityHeaders(given().get("/q/health/live").then().statusCode(200));
    }

    @Test
    void preflightFromAConfiguredOriginIsAnswered() {
        given().header("Origin", APP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/orchestrator/workflows")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
        String token = TestAccounts.signup("cors").getString("accessToken");
        given().header("Origin", APP).auth().oauth2(token).get("/api/users/me")
                .then().statusCode(200).header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Expose-Headers", containsString("RateLimit"));
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        given().header("Origin", "https://evil.example.com").get("/q/health/live")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void forwardedBodiesOverTheTierLimitAre413ProblemsAndNeverReachTheService() {
        String token = TestAccounts.signup("big").getString("accessToken");
        given().auth().oauth2(token).contentType("application/octet-stream").body(new byte[3 * 1024 * 1024])
                .post("/api/logs/echo")
                .then().statusCode(413).contentType("application/problem+json")
                .header("X-Upstream", nullValue())
                .body("type", equalTo("https://weft.dev/problems/payload-too-large"));
    }

    @Test
    void theGatewaysOwnEndpointsTakeSmallBodiesOnly() {
        given().contentType(ContentType.JSON).body("{\"email\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}")
                .post("/api/auth/login")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/payload-too-large"));
    }
}
