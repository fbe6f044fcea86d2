package io.weft.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every Weft service promises at its edge, checked against the running service and its real
 * dependencies. A service's test extends this with {@code @QuarkusTest} and names its dependencies.
 */
public abstract class ServiceContractTest {
    private static final String PROBLEMS = "https://weft.dev/problems/";

    /** Readiness check names this service must report, e.g. {@code postgresql}, {@code redis}, {@code kafka}. */
    protected abstract Set<String> dependencies();

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksEveryRealDependency() {
        Response response = given().get("/q/health/ready");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        List<String> names = response.jsonPath().getList("checks.name");
        assertThat(names).containsExactlyInAnyOrderElementsOf(dependencies());
        assertThat(response.jsonPath().getList("checks.status", String.class)).containsOnly("UP");
        assertThat(response.asString()).doesNotContain("password");
    }

    @Test
    void metricsArePrometheusText() {
        given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentIsServed() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("openapi", startsWith("3."));
    }

    @Test
    void unknownPathIsA404Problem() {
        given().get("/api/no-such-thing/42").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "not-found"))
                .body("title", equalTo("Resource not found"))
                .body("status", equalTo(404))
                .body("instance", equalTo("/api/no-such-thing/42"));
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", ").post("/test-support/problems/items")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void wrongJsonTypeIsA400Problem() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"quantity\": \"many\"}")
                .post("/test-support/problems/items")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("detail", containsString("quantity"));
    }

    @Test
    void invalidFieldsAreA400ProblemListingEachField() {
        given().contentType(ContentType.JSON).body("{\"name\": \"\", \"quantity\": 99}")
                .post("/test-support/problems/items")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("violations.field", hasItems("name", "quantity"));
    }

    @Test
    void validBodyPassesThrough() {
        given().contentType(ContentType.JSON).body("{\"name\": \"bolt\", \"quantity\": 3}")
                .post("/test-support/problems/items")
                .then().statusCode(200).body("name", equalTo("bolt"));
    }

    @Test
    void unsupportedMediaTypeIsA415Problem() {
        given().contentType(ContentType.TEXT).body("name=bolt").post("/test-support/problems/items")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "unsupported-media-type"));
    }

    @Test
    void wrongMethodIsA405Problem() {
        given().delete("/test-support/problems/items").then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "method-not-allowed"));
    }

    @Test
    void deliberateProblemsKeepTheirType() {
        given().get("/test-support/problems/conflict").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "conflict"))
                .body("detail", equalTo("the item was changed by someone else"));
    }

    @Test
    void unexpectedErrorsAre500ProblemsThatRevealNothing() {
        given().get("/test-support/problems/boom").then().statusCode(500)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "internal"))
                .body("detail", containsString("reference"))
                .body(not(containsString(ProblemProbeResource.SECRET_IN_MESSAGE)))
                .body(not(containsString("IllegalStateException")));
    }

    @Test
    void bodiesOverTheLimitAreA413Problem() {
        given().contentType(ContentType.JSON).body(new byte[11 * 1024 * 1024]).post("/test-support/problems/items")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "payload-too-large"));
    }

    @Test
    void hostileLongPathsAreNotEchoedInFull() {
        String path = "/api/" + "a".repeat(3000);
        String body = given().get(path).then().statusCode(404).contentType("application/problem+json")
                .extract().asString();
        assertThat(body.length()).isLessThan(1000);
    }
}
