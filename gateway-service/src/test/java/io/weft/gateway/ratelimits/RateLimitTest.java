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

    @Test
    void aConcurrentBurstIsCountedExactlyNotWavedThrough() throws Exception {
        String owner = TestAccounts.signup("burst").getString("accessToken");
        String warmUp = TestAccounts.signup("burst-warm-up").getString("accessToken");
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(warmUp).get("/api/compile/echo").then().statusCode(200);
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .executor(java.util.concurrent.Executors.newFixedThreadPool(4)).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port + "/api/compile/echo"))
                .header("Authorization", "Bearer " + owner).build();

        java.util.List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<Void>>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            burst.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()));
        }
        Map<Integer, Long> statuses = burst.stream().map(java.util.concurrent.CompletableFuture::join)
                .collect(java.util.stream.Collectors.groupingBy(java.net.http.HttpResponse::statusCode,
                        java.util.stream.Collectors.counting()));

        assertThat(statuses).as("more commands in flight than the Redis pool holds must wait, not skip the limit")
                .containsEntry(200, 5L).containsEntry(429, 115L);
    }
}
