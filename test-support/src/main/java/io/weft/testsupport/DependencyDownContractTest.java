package io.weft.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With one dependency unreachable, readiness is DOWN and says which dependency and why, while
 * liveness stays UP (restarting the service would not help). Subclasses run under a profile such
 * as {@link DatabaseDownProfile}.
 */
public abstract class DependencyDownContractTest {

    /** The readiness check that must be DOWN, e.g. {@code postgresql}. */
    protected abstract String unreachableDependency();

    @Test
    void readinessIsDownAndNamesTheDependency() {
        Response response = given().get("/q/health/ready");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        JsonPath json = response.jsonPath();
        assertThat(json.getString("status")).isEqualTo("DOWN");
        List<Map<String, Object>> checks = json.getList("checks");
        Map<String, Object> down = checks.stream()
                .filter(check -> unreachableDependency().equals(check.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no check named " + unreachableDependency() + ": " + checks));
        assertThat(down.get("status")).isEqualTo("DOWN");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) down.get("data");
        assertThat(data.get("target").toString()).contains(DatabaseDownProfile.UNREACHABLE);
        assertThat(data.get("error").toString()).isNotBlank();
        assertThat(checks).filteredOn(check -> !unreachableDependency().equals(check.get("name")))
                .allSatisfy(check -> assertThat(check.get("status")).isEqualTo("UP"));
    }

    @Test
    void livenessStaysUp() {
        given().get("/q/health/live").then().statusCode(200);
    }
}
