package io.weft.gateway.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Bad input to the identity endpoints answers 4xx problems, never 500, and creates nothing. */
@QuarkusTest
class HostileIdentityInputTest {
    private static final String PROBLEMS = "https://weft.dev/problems/";

    private static Map<String, Object> signup() {
        Map<String, Object> body = new HashMap<>();
        body.put("organisation", "Hostile Inc");
        body.put("email", TestAccounts.uniqueEmail("hostile"));
        body.put("password", TestAccounts.PASSWORD);
        return body;
    }

    @ParameterizedTest
    @ValueSource(strings = {"organisation", "email", "password"})
    void missingFieldsAreNamed(String field) {
        Map<String, Object> body = signup();
        body.remove(field);
        given().contentType(ContentType.JSON).body(body).post("/api/auth/signup")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("violations.field", hasItem(field));
    }

    @Test
    void shortAndHugePasswordsAreRefused() {
        Map<String, Object> body = signup();
        body.put("password", "short");
        given().contentType(ContentType.JSON).body(body).post("/api/auth/signup").then().statusCode(400)
                .body("violations.field", hasItem("password"));
        body.put("password", "p".repeat(100_000));
        given().contentType(ContentType.JSON).body(body).post("/api/auth/signup").then().statusCode(400)
                .body("violations.field", hasItem("password"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "a@", "@b.c", "x\u0000y@example.com"})
    void badEmailsAreRefused(String email) {
        Map<String, Object> body = signup();
        body.put("email", email);
        given().contentType(ContentType.JSON).body(body).post("/api/auth/signup").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void controlCharactersInNamesAreRefused() {
        Map<String, Object> body = signup();
        body.put("organisation", "Evil\u0000Corp");
        given().contentType(ContentType.JSON).body(body).post("/api/auth/signup").then().statusCode(400)
                .body("violations.field", hasItem("organisation"));
        body.put("organisation", "Fine");
        body.put("displayName", "bell\u0007");
        given().contentType(ContentType.JSON).body(body).post("/api/auth/signup").then().statusCode(400)
                .body("violations.field", hasItem("displayName"));
    }

    @Test
    void oddUnicodeIsStoredAsGiven() {
        Map<String, Object> body = signup();
        body.put("organisation", "‮gnp.exe ‭ 𝕎𝕖𝕗𝕥 — 株式会社");
        given().contentType(ContentType.JSON).body(body).post("/api/auth/signup").then().statusCode(201);
    }

    @Test
    void loginWithNulOrHugeEmailIsA400() {
        given().contentType(ContentType.JSON).body(Map.of("email", "a\u0000b", "password", "x"))
                .post("/api/auth/login").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("email", "a".repeat(10_000), "password", "x"))
                .post("/api/auth/login").then().statusCode(400);
    }

    @Test
    void hugeAndOddHeadersAre4xxNever500() {
        given().header("X-Padding", "a".repeat(40_000)).get("/api/users/me").then().statusCode(431);
        given().header("Authorization", "Bearer 🦄\u202e").get("/api/users/me").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Content-Type", "application/json; charset=klingon").body("{}".getBytes()).post("/api/auth/login")
                .then().statusCode(org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThanOrEqualTo(400),
                        org.hamcrest.Matchers.lessThan(500)));
    }

    @Test
    void wrongShapesAreMalformedRequests() {
        given().contentType(ContentType.JSON).body("[]").post("/api/auth/login").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("").post("/api/auth/login").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"email\": {\"$ne\": null}, \"password\": 1}")
                .post("/api/auth/login").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"email\": \"a@b.c\", \"role\": \"god\", \"password\": \"xxxxxxxxxxxxxx\"}")
                .auth().oauth2(TestAccounts.signup("shapes").getString("accessToken"))
                .post("/api/users").then().statusCode(400).contentType("application/problem+json");
    }
}
