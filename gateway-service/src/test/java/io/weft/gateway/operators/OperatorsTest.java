package io.weft.gateway.operators;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.util.KeyUtils;
import io.weft.gateway.forwarding.FakeUpstream;
import io.weft.gateway.identity.TestAccounts;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** The operator API: tiers and suspension of tenants, by operators outside every tenant (issue 19). */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class OperatorsTest {
    static final String OPERATOR_KEY = "test-operator-key";
    private static final String TENANTS = "/api/operator/tenants";
    private static final String PROBLEMS = "https://weft.dev/problems/";

    private static RequestSpecification operator() {
        return given().auth().oauth2(OPERATOR_KEY).contentType(ContentType.JSON);
    }

    private static String internalTier(String credential) throws Exception {
        Map<String, String> headers = given().auth().oauth2(credential).get("/api/orchestrator/echo/tier").then().statusCode(200)
                .extract().jsonPath().getMap("headers");
        JsonWebToken internal = new DefaultJWTParser().verify(headers.get("authorization").substring(7),
                KeyUtils.readPublicKey("keys/test-internal-public.pem", SignatureAlgorithm.ES256));
        return internal.getClaim("tier");
    }

    @Test
    void onlyAnOperatorKeyOpensTheOperatorApi() {
        JsonPath owner = TestAccounts.signup("not-an-operator");
        String key = given().auth().oauth2(owner.getString("accessToken")).contentType(ContentType.JSON)
                .body(Map.of("name", "k", "scopes", List.of("workflows:read"))).post("/api/api-keys").then().statusCode(201)
                .extract().path("key");
        String tenant = owner.getString("user.tenantId");
        for (RequestSpecification caller : List.of(given(), given().auth().oauth2(owner.getString("accessToken")),
                given().auth().oauth2(key), given().header("X-API-Key", key), given().auth().oauth2("test-operator-kez"),
                given().auth().basic("ops", OPERATOR_KEY))) {
            caller.contentType(ContentType.JSON).body(Map.of("tier", "enterprise")).put(TENANTS + "/" + tenant + "/tier")
                    .then().statusCode(401).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "unauthorized"));
        }
        given().auth().oauth2(owner.getString("accessToken")).get(TENANTS).then().statusCode(401);
        operator().get(TENANTS + "/" + tenant).then().statusCode(200).body("tier", equalTo("free"));
    }

    @Test
    void aTierChangeReachesTheNextRequestOfTokensIssuedBeforeIt() throws Exception {
        JsonPath owner = TestAccounts.signup("upgraded");
        String token = owner.getString("accessToken");
        String tenant = owner.getString("user.tenantId");
        String key = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "k", "scopes", List.of("workflows:read"))).post("/api/api-keys").then().statusCode(201)
                .extract().path("key");
        assertThat(internalTier(token)).isEqualTo("free");

        operator().body(Map.of("tier", "pro")).put(TENANTS + "/" + tenant + "/tier").then().statusCode(200)
                .body("id", equalTo(tenant)).body("tier", equalTo("pro")).body("status", equalTo("active"))
                .body("users", equalTo(1)).body("activeApiKeys", equalTo(1));

        assertThat(internalTier(token)).as("the access token still claims free; the gateway forwards pro").isEqualTo("pro");
        assertThat(internalTier(key)).isEqualTo("pro");
        given().auth().oauth2(token).get("/api/users/me").then().statusCode(200);
        operator().get(TENANTS + "?tier=pro&limit=100").then().statusCode(200).body("items.id", hasItem(tenant));
        operator().get(TENANTS + "?tier=free&limit=100").then().statusCode(200).body("items.id", not(hasItem(tenant)));
    }

    @Test
    void aSuspendedTenantIsRefusedEverywhereAndKeepsItsData() throws Exception {
        JsonPath owner = TestAccounts.signup("suspended");
        String token = owner.getString("accessToken");
        String tenant = owner.getString("user.tenantId");
        String key = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "k", "scopes", List.of("workflows:read"))).post("/api/api-keys").then().statusCode(201)
                .extract().path("key");

        operator().body(Map.of("reason", "unpaid invoices")).post(TENANTS + "/" + tenant + "/suspend").then().statusCode(200)
                .body("status", equalTo("suspended")).body("suspensionReason", equalTo("unpaid invoices"))
                .body("suspendedAt", org.hamcrest.Matchers.notNullValue());

        for (RequestSpecification call : List.of(given().auth().oauth2(token), given().auth().oauth2(key))) {
            call.get("/api/orchestrator/echo/anything").then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "forbidden")).body("detail", containsString("suspended"));
        }
        given().auth().oauth2(token).get("/api/users/me").then().statusCode(403).body("detail", containsString("suspended"));
        given().auth().oauth2(key).get("/api/users/me").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("email", owner.getString("user.email"), "password", TestAccounts.PASSWORD))
                .post("/api/auth/login").then().statusCode(403).body("detail", containsString("suspended"));
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", owner.getString("refreshToken")))
                .post("/api/auth/refresh").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("email", owner.getString("user.email"), "password", "wrong password!!"))
                .post("/api/auth/login").then().statusCode(401); // a wrong password learns nothing of the suspension
        operator().get(TENANTS + "?status=suspended&limit=100").then().body("items.id", hasItem(tenant));

        operator().post(TENANTS + "/" + tenant + "/reactivate").then().statusCode(200).body("status", equalTo("active"))
                .body("suspensionReason", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(token).get("/api/orchestrator/echo/anything").then().statusCode(200);
        given().auth().oauth2(key).get("/api/users/me").then().statusCode(200).body("id", equalTo(owner.getString("user.id")));
        TestAccounts.login(owner.getString("user.email"), TestAccounts.PASSWORD);
    }

    @Test
    void badOperatorRequestsAreProblemsAndUnknownTenants404() {
        String tenant = TestAccounts.signup("listed").getString("user.tenantId");
        operator().body(Map.of("tier", "platinum")).put(TENANTS + "/" + tenant + "/tier").then().statusCode(400)
                .contentType("application/problem+json");
        operator().body("{}").put(TENANTS + "/" + tenant + "/tier").then().statusCode(400);
        operator().body(Map.of("reason", "x".repeat(501))).post(TENANTS + "/" + tenant + "/suspend").then().statusCode(400);
        operator().body(Map.of("reason", "a\u0000b")).post(TENANTS + "/" + tenant + "/suspend").then().statusCode(400);
        for (String query : List.of("?tier=gold", "?status=gone", "?limit=0", "?limit=1000", "?cursor=nonsense")) {
            operator().get(TENANTS + query).then().statusCode(400).contentType("application/problem+json");
        }
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid", "1'%20OR%20'1'='1")) {
            operator().get(TENANTS + "/" + id).then().statusCode(404).contentType("application/problem+json");
            operator().body(Map.of("tier", "pro")).put(TENANTS + "/" + id + "/tier").then().statusCode(404);
            operator().post(TENANTS + "/" + id + "/suspend").then().statusCode(404);
            operator().post(TENANTS + "/" + id + "/reactivate").then().statusCode(404);
        }
        operator().get(TENANTS + "/" + tenant).then().statusCode(200).body("tier", equalTo("free")).body("status", equalTo("active"));
    }

    @Test
    void tenantsArePagedWithACursor() {
        for (int i = 0; i < 3; i++) {
            TestAccounts.signup("paged");
        }
        JsonPath first = operator().get(TENANTS + "?limit=2").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items")).hasSize(2);
        String cursor = first.getString("nextCursor");
        assertThat(cursor).isNotNull();
        JsonPath second = operator().queryParam("limit", 2).queryParam("cursor", cursor).get(TENANTS).then().statusCode(200)
                .extract().jsonPath();
        assertThat(second.<String>getList("items.id")).doesNotContainAnyElementsOf(first.getList("items.id"));
    }

    @Test
    void tenantsComeWithTheirWorkflowsAndRunsAndWithoutThemWhenWorkflowServiceIsDown() {
        String tenant = TestAccounts.signup("counted").getString("user.tenantId");
        TestAccounts.signup("counted-too"); // at least two tenants for the pages below
        operator().get(TENANTS + "/" + tenant).then().statusCode(200)
                .body("usage.workflows", equalTo(7)).body("usage.activeWorkflows", equalTo(3))
                .body("usage.executionsLast30Days", equalTo(42)).body("usage.executionsInFlight", equalTo(2));
        // the fake answers 42 for every tenant asked for; the page is the oldest tenants, which need not include this one
        operator().get(TENANTS + "?limit=2").then().statusCode(200).body("warnings", hasSize(0))
                .body("items", hasSize(2)).body("items.usage.executionsLast30Days", everyItem(equalTo(42)));

        FakeUpstream.USAGE_DOWN.set(true);
        try {
            operator().get(TENANTS + "?limit=2").then().statusCode(200)
                    .body("items", hasSize(2)).body("items.usage", everyItem(nullValue())).body("items.users", everyItem(notNullValue()))
                    .body("warnings[0]", containsString("workflow-service did not answer"));
            operator().get(TENANTS + "/" + tenant).then().statusCode(200).body("usage", nullValue()).body("users", equalTo(1));
            operator().body(Map.of("tier", "pro")).put(TENANTS + "/" + tenant + "/tier").then().statusCode(200)
                    .body("tier", equalTo("pro")).body("usage", nullValue());
        } finally {
            FakeUpstream.USAGE_DOWN.set(false);
        }
    }
}
