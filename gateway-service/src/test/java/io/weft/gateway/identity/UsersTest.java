package io.weft.gateway.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsersTest {
    private static final String PROBLEMS = "https://weft.dev/problems/";

    @Test
    void ownersAddUsersWithRolesWhoCanThenSignIn() {
        String owner = TestAccounts.signup("roles").getString("accessToken");
        String editor = TestAccounts.addUser(owner, "editor");

        given().auth().oauth2(editor).get("/api/users/me").then().statusCode(200).body("role", equalTo("editor"));
    }

    @Test
    void editorsAndViewersCannotAddUsers() {
        String owner = TestAccounts.signup("forbidden").getString("accessToken");
        for (String role : List.of("editor", "viewer")) {
            String token = TestAccounts.addUser(owner, role);
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("email", TestAccounts.uniqueEmail("x"), "role", "viewer", "password", TestAccounts.PASSWORD))
                    .post("/api/users")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "forbidden"));
        }
    }

    @Test
    void onlyOwnersAddOwners() {
        String owner = TestAccounts.signup("owners").getString("accessToken");
        String admin = TestAccounts.addUser(owner, "admin");

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("email", TestAccounts.uniqueEmail("x"), "role", "owner", "password", TestAccounts.PASSWORD))
                .post("/api/users")
                .then().statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
        TestAccounts.addUser(admin, "viewer");
    }

    @Test
    void anotherTenantsUsersAreInvisible() {
        JsonPath a = TestAccounts.signup("tenant-a");
        JsonPath b = TestAccounts.signup("tenant-b");
        String bToken = b.getString("accessToken");

        given().auth().oauth2(bToken).get("/api/users/" + a.getString("user.id"))
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "not-found"));
        given().auth().oauth2(bToken).get("/api/users")
                .then().statusCode(200)
                .body("id", not(hasItem(a.getString("user.id"))))
                .body("id", hasItem(b.getString("user.id")));
        given().auth().oauth2(a.getString("accessToken")).get("/api/users/" + a.getString("user.id"))
                .then().statusCode(200);
    }

    @Test
    void unknownAndMalformedUserIdsAre404() {
        String token = TestAccounts.signup("ids").getString("accessToken");
        given().auth().oauth2(token).get("/api/users/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(token).get("/api/users/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void listIsPagedWithinBounds() {
        String token = TestAccounts.signup("paging").getString("accessToken");
        TestAccounts.addUser(token, "viewer");

        assertThat(given().auth().oauth2(token).queryParam("limit", 1).get("/api/users")
                .then().statusCode(200).extract().jsonPath().getList("id")).hasSize(1);
        given().auth().oauth2(token).queryParam("limit", 10_000).get("/api/users")
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed"));
        given().auth().oauth2(token).queryParam("limit", "lots").get("/api/users")
                .then().statusCode(404);
    }
}
