package io.weft.workflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.weft.testsupport.InternalTokens;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every route of the service with a path id, called with hostile ids, parameters and bodies by an
 * owner (so that nothing stops at authorisation): each answer is a 4xx problem, never a 500, and
 * nothing is written on the way.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class HostileInputTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows/";
    private static final String EXECUTIONS = "/api/orchestrator/executions/";
    /** Already percent-encoded, as a client would send them on the wire. */
    private static final List<String> HOSTILE_IDS = List.of("x".repeat(2_000), "%00", "abc%00def", "1'%20OR%20'1'='1", "..%2F..%2Fetc",
            "%F0%9F%92%A5", "%E2%80%AE", "-1", "99999999999999999999999", "null", "%25", "%C3%28", "%7Bid%7D", "%0D%0ASet-Cookie:%20a=b");

    private record Route(String method, String path, String body, String ifMatch) {
        Route(String method, String path) {
            this(method, path, null, null);
        }
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", WORKFLOWS + "{id}"),
            new Route("PUT", WORKFLOWS + "{id}", "{\"definition\":{\"name\":\"x\",\"nodes\":[],\"connections\":[]}}", "\"1\""),
            new Route("DELETE", WORKFLOWS + "{id}", null, "\"1\""),
            new Route("POST", WORKFLOWS + "{id}/activate"),
            new Route("POST", WORKFLOWS + "{id}/deactivate", null, "\"1\""),
            new Route("GET", WORKFLOWS + "{id}/export"),
            new Route("GET", WORKFLOWS + "{id}/versions"),
            new Route("GET", WORKFLOWS + "{id}/versions/1"),
            new Route("GET", WORKFLOWS + "{id}/versions/diff?from=1&to=2"),
            new Route("POST", WORKFLOWS + "{id}/versions/1/restore", null, "\"1\""),
            new Route("POST", WORKFLOWS + "{id}/run", "{}", null),
            new Route("GET", WORKFLOWS + "{id}/webhooks"),
            new Route("GET", WORKFLOWS + "{id}/schedules"),
            new Route("GET", EXECUTIONS + "{id}"),
            new Route("DELETE", EXECUTIONS + "{id}"),
            new Route("POST", EXECUTIONS + "{id}/stop", "{}", null),
            new Route("POST", EXECUTIONS + "{id}/pause"),
            new Route("POST", EXECUTIONS + "{id}/resume"),
            new Route("POST", EXECUTIONS + "{id}/retry", "{}", null));

    private final UUID tenant = UUID.randomUUID();
    private final String owner = InternalTokens.user(tenant, "owner-1", "owner");

    private RequestSpecification asOwner() {
        return given().urlEncodingEnabled(false).auth().oauth2(owner);
    }

    private static void assertProblem(Response answer, String what) {
        assertThat(answer.statusCode()).as(what + " answered " + answer.asString()).isBetween(400, 499);
        assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
    }

    private Response call(Route route, String id) {
        RequestSpecification request = asOwner();
        if (route.body() != null) {
            request.contentType(ContentType.JSON).body(route.body());
        }
        if (route.ifMatch() != null) {
            request.header("If-Match", route.ifMatch());
        }
        return request.request(route.method(), route.path().replace("{id}", id));
    }

    @Test
    void hostileIdsOnEveryRouteAreProblemsNeverServerErrors() {
        for (Route route : ROUTES) {
            // The route exists: an unknown id reaches its resource, which says so (not the router's "Nothing is at").
            Response unknown = call(route, UUID.randomUUID().toString());
            assertThat(unknown.statusCode()).as(route.toString()).isEqualTo(404);
            assertThat(unknown.jsonPath().getString("detail")).as(route.toString()).doesNotStartWith("Nothing is at");
            for (String id : HOSTILE_IDS) {
                String what = route.method() + " " + route.path().replace("{id}", id.substring(0, Math.min(60, id.length())));
                assertProblem(call(route, id), what);
            }
        }
        given().auth().oauth2(owner).get(WORKFLOWS).then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(owner).get("/api/orchestrator/executions").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void hostileParametersAndBodiesAreProblems() {
        String id = given().auth().oauth2(owner).contentType(ContentType.JSON)
                .body("{\"definition\":{\"name\":\"Target\",\"nodes\":[{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\","
                        + "\"typeVersion\":1}],\"connections\":[]}}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        for (String query : List.of("limit=-1", "limit=abc", "limit=99999999999999999999", "before=abc", "before=-5",
                "before=99999999999999999999", "limit=%00")) {
            assertProblem(asOwner().get(WORKFLOWS + id + "/versions?" + query), "versions?" + query);
        }
        for (String query : List.of("from=a&to=1", "from=1", "from=-1&to=1", "from=1&to=99999999999999999999")) {
            assertProblem(asOwner().get(WORKFLOWS + id + "/versions/diff?" + query), "diff?" + query);
        }
        for (String ifMatch : List.of("abc", "\"-1\"", "\"99999999999999999999\"", "\"1\"\"2\"", "x".repeat(3_000))) {
            assertProblem(asOwner().header("If-Match", ifMatch).post(WORKFLOWS + id + "/versions/1/restore"), "restore If-Match " + ifMatch);
            assertProblem(asOwner().header("If-Match", ifMatch).post(WORKFLOWS + id + "/deactivate"), "deactivate If-Match " + ifMatch);
        }
        assertProblem(asOwner().queryParam("version", "abc").post(WORKFLOWS + id + "/activate"), "activate ?version=abc");

        String format = "\"format\":\"weft.workflow\",\"formatVersion\":1";
        for (String body : List.of("{", "[]", "null", "\"x\"", "{" + format + ",\"definition\":[]}", "{" + format + ",\"tags\":{}}",
                "{" + format + ",\"name\":\"" + "x".repeat(2_500_000) + "\"}",
                "{" + format + ",\"name\":\"\\u0000\",\"definition\":{\"name\":\"\\u0000\",\"nodes\":[],\"connections\":[]}}",
                "{" + format + ",\"definition\":{\"name\":\"deep\",\"nodes\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}}")) {
            assertProblem(asOwner().contentType(ContentType.JSON).body(body).post(WORKFLOWS + "import"),
                    "import " + body.substring(0, Math.min(80, body.length())));
        }
        // Refused before the execution is looked for: an unknown one would be 404.
        for (String body : List.of("{", "[1,2", "{\"reason\":[]}", "{\"reason\":\"" + "r".repeat(501) + "\"}")) {
            Response answer = asOwner().contentType(ContentType.JSON).body(body).post(EXECUTIONS + UUID.randomUUID() + "/stop");
            assertProblem(answer, "stop " + body.substring(0, Math.min(40, body.length())));
            assertThat(answer.statusCode()).as(body.substring(0, Math.min(40, body.length()))).isEqualTo(400);
        }
        given().auth().oauth2(owner).get(WORKFLOWS).then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(1));
        given().auth().oauth2(owner).get("/api/orchestrator/executions").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }
}
