package io.weft.gateway.abuse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.weft.gateway.identity.TestAccounts;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real Redis, small thresholds: 3 failures block an account, 6 block the address, blocks start at 2 s. */
@QuarkusTest
@TestProfile(AbuseTest.SmallThresholds.class)
class AbuseTest {

    public static class SmallThresholds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("weft.gateway.abuse.max-failures-per-account", "3",
                    "weft.gateway.abuse.max-failures-per-address", "6",
                    "weft.gateway.abuse.first-block", "2s",
                    "weft.gateway.abuse.longest-block", "8s");
        }
    }

    @Inject
    RedisDataSource redis;

    /** Every test in the suite comes from 127.0.0.1: start and leave this address with a clean record. */
    @BeforeEach
    @AfterEach
    void forgetTheTestAddress() {
        for (String what : new String[] {"failures", "strikes", "block"}) {
            redis.key().del("weft:abuse:" + what + ":ip:127.0.0.1");
        }
    }

    private static Response login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/api/auth/login");
    }

    @Test
    void anAccountIsBlockedAfterRepeatedFailuresThenUnblockedAndBlockedLongerNextTime() throws InterruptedException {
        String email = TestAccounts.signup("brute").getString("user.email");
        for (int i = 0; i < 3; i++) {
            login(email, "wrong password " + i).then().statusCode(401);
        }

        login(email, TestAccounts.PASSWORD).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("https://weft.dev/problems/rate-limited"));

        Thread.sleep(2_200);
        login(email, TestAccounts.PASSWORD).then().statusCode(200);

        forgetTheTestAddress();
        for (int i = 0; i < 3; i++) {
            login(email, "wrong again " + i).then().statusCode(401);
        }
        assertThat(login(email, TestAccounts.PASSWORD).then().statusCode(429).extract().header("Retry-After"))
                .as("the second block lasts twice as long").isEqualTo("4");
    }

    @Test
    void anAddressIsBlockedAfterFailuresAcrossAccounts() {
        for (int i = 0; i < 6; i++) {
            login(TestAccounts.uniqueEmail("spray"), "guess " + i).then().statusCode(401);
        }
        String victim = TestAccounts.uniqueEmail("untouched");

        login(victim, "anything").then().statusCode(429);
    }

    @Test
    void invalidCredentialsOnForwardedRoutesBlockTheAddress() {
        String badKey = "wft_" + "A".repeat(43);
        for (int i = 0; i < 5; i++) {
            given().header("X-API-Key", badKey).get("/api/orchestrator/workflows").then().statusCode(401);
        }
        given().header("X-API-Key", badKey).get("/api/orchestrator/workflows").then().statusCode(429)
                .header("Retry-After", "2")
                .body("detail", equalTo("too many invalid credentials from this address; try again in 2 s"));
    }
}
