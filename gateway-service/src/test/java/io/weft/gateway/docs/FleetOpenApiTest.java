package io.weft.gateway.docs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.gateway.forwarding.FakeUpstream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class FleetOpenApiTest {

    @Test
    void mergesTheGatewayAndEveryServiceThatAnswers() {
        given().get("/api/docs/openapi").then().statusCode(200)
                .body("info.title", equalTo("Weft API"))
                .body("paths.'/api/auth/login'.post", notNullValue())
                .body("paths.'/api/orchestrator/workflows'.get.summary", equalTo("List workflows"))
                .body("paths.'/test-support/problems/boom'", nullValue())
                .body("paths.'/internal/service-tokens'", nullValue())
                .body("paths.'/internal/tenant-tiers'", nullValue())
                .body("paths.'/internal/credentials/{id}/resolve'", nullValue())
                .body("paths.keySet().findAll { it.startsWith('/internal') }", org.hamcrest.Matchers.empty())
                .body("components.schemas.Workflow.type", equalTo("object"))
                .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"))
                .body("'x-weft-unavailable'.executor", notNullValue());
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
