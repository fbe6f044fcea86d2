package io.weft.gateway.identity;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;

/** Creates fresh tenants and users through the real API, so tests never depend on earlier runs. */
public final class TestAccounts {
    public static final String PASSWORD = "correct horse battery staple";

    private TestAccounts() {
    }

    public static String uniqueEmail(String who) {
        return who + "+" + UUID.randomUUID() + "@example.com";
    }

    /** Signs up a new tenant; answers the token response. */
    public static JsonPath signup(String who) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("organisation", who + " Ltd", "email", uniqueEmail(who), "password", PASSWORD))
                .post("/api/auth/signup")
                .then().statusCode(201).extract().jsonPath();
    }

    public static JsonPath login(String email, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api/auth/login")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Adds a user with {@code role} to the tenant of {@code adminToken}; answers the new user's access token. */
    public static String addUser(String adminToken, String role) {
        String email = uniqueEmail(role);
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("email", email, "role", role, "password", PASSWORD))
                .post("/api/users")
                .then().statusCode(201);
        return login(email, PASSWORD).getString("accessToken");
    }
}
