package io.weft.gateway.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdentityFlowTest {
    private static final String PROBLEMS = "https://weft.dev/problems/";

    @Test
    void signupCreatesATenantWhoseOwnerIsSignedIn() {
        String email = TestAccounts.uniqueEmail("Founder");

        String body = given().contentType(ContentType.JSON)
                .body(Map.of("organisation", "Acme 🚀 GmbH", "email", "  " + email + " ", "password", TestAccounts.PASSWORD,
                        "displayName", "Zoë Ünal"))
                .post("/api/auth/signup")
                .then().statusCode(201)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .body("accessToken", notNullValue())
                .body("refreshToken", startsWith("wrt_"))
                .body("user.email", equalTo(email.toLowerCase()))
                .body("user.role", equalTo("owner"))
                .body("user.tier", equalTo("free"))
                .body("user.displayName", equalTo("Zoë Ünal"))
                .extract().asString();

        assertThat(body).doesNotContain(TestAccounts.PASSWORD).doesNotContain("argon2").doesNotContain("passwordHash");
    }

    @Test
    void theSameEmailCannotSignUpTwice() {
        String email = TestAccounts.uniqueEmail("twice");
        Map<String, String> signup = Map.of("organisation", "One", "email", email, "password", TestAccounts.PASSWORD);
        given().contentType(ContentType.JSON).body(signup).post("/api/auth/signup").then().statusCode(201);

        given().contentType(ContentType.JSON).body(Map.of("organisation", "Two", "email", email.toUpperCase(),
                        "password", TestAccounts.PASSWORD))
                .post("/api/auth/signup")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "conflict"));
    }

    @Test
    void loginAcceptsTheRightPasswordOnly() {
        JsonPath owner = TestAccounts.signup("login");
        String email = owner.getString("user.email");

        JsonPath session = TestAccounts.login(email.toUpperCase(), TestAccounts.PASSWORD);
        assertThat(session.getString("user.id")).isEqualTo(owner.getString("user.id"));

        String wrongPassword = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "not the password at all"))
                .post("/api/auth/login")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo(PROBLEMS + "unauthorized"))
                .extract().path("detail");
        String unknownEmail = given().contentType(ContentType.JSON)
                .body(Map.of("email", TestAccounts.uniqueEmail("nobody"), "password", TestAccounts.PASSWORD))
                .post("/api/auth/login")
                .then().statusCode(401).extract().path("detail");
        assertThat(unknownEmail).as("unknown accounts look the same as wrong passwords").isEqualTo(wrongPassword);
    }

    @Test
    void refreshRotatesAndReusingASpentTokenRevokesTheFamily() {
        JsonPath session = TestAccounts.signup("rotate");
        String first = session.getString("refreshToken");

        String second = refresh(first).then().statusCode(200)
                .body("accessToken", notNullValue())
                .body("refreshToken", not(equalTo(first)))
                .extract().path("refreshToken");
        String third = refresh(second).then().statusCode(200).extract().path("refreshToken");

        refresh(first).then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "unauthorized"));
        refresh(third).then().statusCode(401); // the newest token of a revoked family is dead too
    }

    @Test
    void refreshTokensOfOtherLoginsSurviveAFamilyRevocation() {
        JsonPath signup = TestAccounts.signup("families");
        JsonPath otherDevice = TestAccounts.login(signup.getString("user.email"), TestAccounts.PASSWORD);
        String spent = signup.getString("refreshToken");
        refresh(spent).then().statusCode(200);
        refresh(spent).then().statusCode(401);

        refresh(otherDevice.getString("refreshToken")).then().statusCode(200);
    }

    @Test
    void logoutRevokesTheRefreshToken() {
        JsonPath session = TestAccounts.signup("logout");
        String token = session.getString("refreshToken");

        given().contentType(ContentType.JSON).body(Map.of("refreshToken", token)).post("/api/auth/logout")
                .then().statusCode(204);

        refresh(token).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", "wrt_unknown")).post("/api/auth/logout")
                .then().statusCode(204); // logging out twice or with an unknown token is harmless
    }

    @Test
    void meAnswersTheCaller() {
        JsonPath session = TestAccounts.signup("me");

        given().auth().oauth2(session.getString("accessToken")).get("/api/users/me")
                .then().statusCode(200)
                .body("id", equalTo(session.getString("user.id")))
                .body("tenantId", equalTo(session.getString("user.tenantId")))
                .body("role", equalTo("owner"))
                .body(not(containsString("password")));
    }

    /** A token is readable by whoever holds it: it names the user by id only (issue 19). */
    @Test
    void accessTokensCarryNoPersonalData() {
        JsonPath session = TestAccounts.signup("private");
        String token = session.getString("accessToken");
        String claims = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(claims).contains(session.getString("user.id")).doesNotContain("email")
                .doesNotContain(session.getString("user.email")).doesNotContain("@");
    }

    @Test
    void refreshTokensThatAreNotOursAreRejected() {
        for (String token : new String[] {"wrt_" + "A".repeat(43), "garbage", "wrt_" + "x".repeat(200)}) {
            refresh(token).then().statusCode(token.length() > 100 ? 400 : 401).contentType("application/problem+json");
        }
    }

    private static io.restassured.response.Response refresh(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", token)).post("/api/auth/refresh");
    }
}
