package io.weft.workflow.workflows;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which active workflow versions name a credential, or use a version of a custom node type: asked by
 * credentials-service and executor-service before a deletion.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class ActiveVersionUsesTest {
    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String credentials = InternalTokens.service(tenant, "credentials", "workflows:read");
    private final String credential = UUID.randomUUID().toString();

    private String workflow(String name, boolean activate) {
        return workflow(name, activate, "core.httpRequest", 1);
    }

    private String workflow(String name, boolean activate, String type, int version) {
        String definition = "{\"name\":\"" + name + "\",\"nodes\":[{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\",\"typeVersion\":1},"
                + "{\"id\":\"call\",\"name\":\"Call\",\"type\":\"" + type + "\",\"typeVersion\":" + version + ",\"parameters\":{\"url\":\"https://example.com\"},"
                + "\"credentials\":{\"httpBearerAuth\":{\"id\":\"" + credential + "\"}}}],"
                + "\"connections\":[{\"from\":{\"node\":\"start\",\"port\":\"main\"},\"to\":{\"node\":\"call\",\"port\":\"main\"}}]}";
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post("/api/orchestrator/workflows").then().statusCode(201).extract().path("id");
        if (activate) {
            given().auth().oauth2(editor).post("/api/orchestrator/workflows/" + id + "/activate").then().statusCode(200);
        }
        return id;
    }

    @Test
    void onlyActiveVersionsOfTheTenantCount() {
        String active = workflow("Billing sync", true);
        workflow("Draft", false);

        given().auth().oauth2(credentials).get("/internal/credential-uses/" + credential).then().statusCode(200)
                .body("workflows", hasSize(1)).body("workflows[0].workflowId", equalTo(active))
                .body("workflows[0].name", equalTo("Billing sync")).body("workflows[0].activeVersion", equalTo(1));
        given().auth().oauth2(InternalTokens.service(UUID.randomUUID(), "credentials", "workflows:read"))
                .get("/internal/credential-uses/" + credential).then().statusCode(200).body("workflows", hasSize(0));
        given().auth().oauth2(credentials).get("/internal/credential-uses/" + UUID.randomUUID()).then().statusCode(200)
                .body("workflows", hasSize(0));
        given().auth().oauth2(credentials).get("/internal/credential-uses/x\"'$@") .then().statusCode(200).body("workflows", hasSize(0));

        given().auth().oauth2(editor).post("/api/orchestrator/workflows/" + active + "/deactivate").then().statusCode(200);
        given().auth().oauth2(credentials).get("/internal/credential-uses/" + credential).then().statusCode(200).body("workflows", hasSize(0));
    }

    @Test
    void onlyServicesAsk() {
        given().auth().oauth2(editor).get("/internal/credential-uses/" + credential).then().statusCode(403);
        given().auth().oauth2(InternalTokens.service(tenant, "credentials")).get("/internal/credential-uses/" + credential).then().statusCode(403);
        given().get("/internal/credential-uses/" + credential).then().statusCode(401);
    }

    @Test
    void activeVersionsUsingAVersionOfACustomNodeType() {
        String executor = InternalTokens.service(tenant, "executor", "workflows:read");
        String active = workflow("Leads", true, "custom.enrich", 2);
        workflow("Draft of leads", false, "custom.enrich", 2);

        given().auth().oauth2(executor).get("/internal/node-type-uses/custom.enrich/2").then().statusCode(200)
                .body("workflows", hasSize(1)).body("workflows[0].workflowId", equalTo(active)).body("workflows[0].name", equalTo("Leads"));
        given().auth().oauth2(executor).get("/internal/node-type-uses/custom.enrich/1").then().statusCode(200).body("workflows", hasSize(0));
        given().auth().oauth2(executor).get("/internal/node-type-uses/custom.other/2").then().statusCode(200).body("workflows", hasSize(0));
        given().auth().oauth2(InternalTokens.service(UUID.randomUUID(), "executor", "workflows:read"))
                .get("/internal/node-type-uses/custom.enrich/2").then().statusCode(200).body("workflows", hasSize(0));
        given().auth().oauth2(executor).get("/internal/node-type-uses/custom.enrich/two").then().statusCode(404);
        given().auth().oauth2(executor).get("/internal/node-type-uses/x\"'$@ && @/2").then().statusCode(200).body("workflows", hasSize(0));
        given().auth().oauth2(editor).get("/internal/node-type-uses/custom.enrich/2").then().statusCode(403);
    }
}
