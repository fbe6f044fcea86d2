package io.weft.gateway.apikeys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.util.KeyUtils;
import io.weft.gateway.forwarding.FakeUpstream;
import io.weft.gateway.identity.TestAccounts;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class ApiKeysTest {
    private static final String PROBLEMS = "https://weft.dev/problems/";

    private JsonPath owner;
    private String ownerToken;

    @BeforeEach
    void signUp() {
        owner = TestAccounts.signup("keys");
        ownerToken = owner.getString("accessToken");
    }

    private JsonPath create(String token, List<String> scopes) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "CI deploys", "scopes", scopes))
                .post("/api/api-keys").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void aKeyIsShownOnceAndListedMasked() {
        JsonPath created = create(ownerToken, List.of("workflows:read"));
        String key = created.getString("key");
        assertThat(key).startsWith("wft_").hasSize(47);

        String list = given().auth().oauth2(ownerToken).get("/api/api-keys").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].key", equalTo(key.substring(0, 12) + "…"))
                .body("[0].scopes", equalTo(List.of("workflows:read")))
                .extract().asString();
        assertThat(list).doesNotContain(key);
    }

    @Test
    void aKeyCallsServicesWithItsScopesAndNoRole() throws Exception {
        JsonPath created = create(ownerToken, List.of("workflows:read", "executions:run"));
        String key = created.getString("key");

        for (var request : List.of(given().auth().oauth2(key), given().header("X-API-Key", key))) {
            Map<String, String> headers = request.get("/api/orchestrator/echo/workflows").then().statusCode(200)
                    .extract().jsonPath().getMap("headers");
            assertThat(headers).doesNotContainKey("x-api-key");
            JsonWebToken internal = new DefaultJWTParser().verify(headers.get("authorization").substring(7),
                    KeyUtils.readPublicKey("keys/test-internal-public.pem", SignatureAlgorithm.ES256));
            assertThat(internal.getSubject()).isEqualTo("apikey:" + created.getString("id"));
            assertThat(internal.<String>getClaim("tid")).isEqualTo(owner.getString("user.tenantId"));
            assertThat(internal.<String>getClaim("scope")).isEqualTo("executions:run workflows:read");
            assertThat(internal.<String>getClaim("auth")).isEqualTo("api_key");
            assertThat(internal.getGroups()).isEmpty();
        }
    }

    @Test
    void scopesAreEnforcedPerRoute() {
        String key = create(ownerToken, List.of("workflows:read")).getString("key");

        given().auth().oauth2(key).get("/api/orchestrator/echo/workflows").then().statusCode(200);
        given().auth().oauth2(key).get("/api/compile/echo").then().statusCode(200);
        given().auth().oauth2(key).body("{}").post("/api/orchestrator/echo/workflows").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "forbidden"))
                .body("detail", equalTo("this API key lacks the scope workflows:write"));
        given().auth().oauth2(key).body("{}").post("/api/orchestrator/echo/workflows/w1/run").then().statusCode(403)
                .body("detail", equalTo("this API key lacks the scope executions:run"));
        given().auth().oauth2(key).get("/api/logs/echo").then().statusCode(403);
    }

    @Test
    void aKeyWorksOnTheGatewaysOwnEndpointsForWhatItMayDo() {
        JsonPath created = create(ownerToken, List.of("workflows:read"));
        String key = created.getString("key");
        for (var request : List.of(given().auth().oauth2(key), given().header("X-API-Key", key))) {
            request.get("/api/users/me").then().statusCode(200)
                    .body("id", equalTo(owner.getString("user.id")))
                    .body("tenantId", equalTo(owner.getString("user.tenantId")));
        }
        String userId = owner.getString("user.id");
        for (var refused : List.<java.util.function.Supplier<io.restassured.response.Response>>of(
                () -> given().auth().oauth2(key).get("/api/users"),
                () -> given().auth().oauth2(key).get("/api/users/" + userId),
                () -> given().auth().oauth2(key).contentType(ContentType.JSON)
                        .body(Map.of("email", TestAccounts.uniqueEmail("by-key"), "password", TestAccounts.PASSWORD, "role", "owner"))
                        .post("/api/users"),
                () -> given().auth().oauth2(key).get("/api/api-keys"),
                () -> given().auth().oauth2(key).contentType(ContentType.JSON)
                        .body(Map.of("name", "child", "scopes", List.of("workflows:read"))).post("/api/api-keys"),
                () -> given().auth().oauth2(key).delete("/api/api-keys/" + created.getString("id")))) {
            refused.get().then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "forbidden"))
                    .body("detail", org.hamcrest.Matchers.containsString("sign in as a user"));
        }
        given().auth().oauth2(ownerToken).get("/api/api-keys").then().body("[0].revokedAt", org.hamcrest.Matchers.nullValue())
                .body("$", hasSize(1));
        given().auth().oauth2(ownerToken).get("/api/users").then().body("$", hasSize(1));

        given().auth().oauth2(ownerToken).delete("/api/api-keys/" + created.getString("id")).then().statusCode(204);
        given().auth().oauth2(key).get("/api/users/me").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("wft_" + "a".repeat(43)).get("/api/users/me").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void revokedKeysStopWorkingAtOnce() {
        JsonPath created = create(ownerToken, List.of("logs:read"));
        String key = created.getString("key");
        given().auth().oauth2(key).get("/api/logs/echo").then().statusCode(200);

        given().auth().oauth2(ownerToken).delete("/api/api-keys/" + created.getString("id")).then().statusCode(204);

        given().auth().oauth2(key).get("/api/logs/echo").then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("the API key is revoked or expired"));
        given().auth().oauth2(ownerToken).get("/api/api-keys").then().body("[0].revokedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void lastUseIsRecorded() throws InterruptedException {
        JsonPath created = create(ownerToken, List.of("logs:read"));
        given().auth().oauth2(created.getString("key")).get("/api/logs/echo").then().statusCode(200);

        String lastUsed = null;
        for (int i = 0; i < 50 && lastUsed == null; i++) {
            lastUsed = given().auth().oauth2(ownerToken).get("/api/api-keys").then().extract().path("[0].lastUsedAt");
            if (lastUsed == null) {
                Thread.sleep(100);
            }
        }
        assertThat(lastUsed).isNotNull();
    }

    @Test
    void rolesLimitWhatAKeyMayDo() {
        String viewer = TestAccounts.addUser(ownerToken, "viewer");
        given().auth().oauth2(viewer).contentType(ContentType.JSON)
                .body(Map.of("name", "too much", "scopes", List.of("workflows:write")))
                .post("/api/api-keys").then().statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
        String viewersKey = create(viewer, List.of("workflows:read")).getString("id");
        String ownersKey = create(ownerToken, List.of("workflows:read")).getString("id");

        given().auth().oauth2(viewer).delete("/api/api-keys/" + ownersKey).then().statusCode(403);
        given().auth().oauth2(viewer).delete("/api/api-keys/" + viewersKey).then().statusCode(204);
        given().auth().oauth2(ownerToken).delete("/api/api-keys/" + ownersKey).then().statusCode(204);
    }

    @Test
    void anotherTenantsKeysAreInvisible() {
        String id = create(ownerToken, List.of("workflows:read")).getString("id");
        String stranger = TestAccounts.signup("stranger").getString("accessToken");

        given().auth().oauth2(stranger).delete("/api/api-keys/" + id).then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "not-found"));
        given().auth().oauth2(stranger).get("/api/api-keys").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(stranger).delete("/api/api-keys/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void badRequestsAreProblems() {
        for (Object body : List.of(
                Map.of("name", "x", "scopes", List.of()),
                Map.of("name", "x", "scopes", List.of("root:all")),
                Map.of("name", "", "scopes", List.of("logs:read")),
                Map.of("name", "x", "scopes", List.of("logs:read"), "expiresAt", OffsetDateTime.now().minusDays(1).toString()),
                Map.of("name", "x", "scopes", List.of("logs:read"), "expiresAt", OffsetDateTime.now().plusYears(5).toString()),
                Map.of("name", "x", "scopes", "logs:read"))) {
            given().auth().oauth2(ownerToken).contentType(ContentType.JSON).body(body).post("/api/api-keys")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        for (String key : List.of("wft_short", "wft_" + "!".repeat(43), "wft_" + "a".repeat(43))) {
            given().auth().oauth2(key).get("/api/logs/echo").then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"));
        }
    }
}
