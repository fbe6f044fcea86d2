package io.weft.executor.nodes.custom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.runs.FakeCompilerPlans;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The custom node types API against the executor's real database, with each tenant's types its own. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
class CustomNodesResourceTest {
    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");
    private final String stranger = InternalTokens.user(UUID.randomUUID(), "editor-2", "editor");

    @Inject
    NodeCatalog catalog;

    static String registration(String type, int version, String code) {
        return """
                {"type":"%s","version":%d,"displayName":"Enrich lead","description":"Adds what the CRM knows",
                 "parametersSchema":{"type":"object","properties":{"field":{"type":"string","default":"email"}}},
                 "outputs":[{"name":"main"},{"name":"unknown","displayName":"Not in the CRM"}],
                 "credentialTypes":["httpHeaderAuth"],
                 "code":%s}""".formatted(type, version, io.weft.contracts.json.WeftJson.mapper().valueToTree(code).toString());
    }

    private static final String CODE = "function execute(items, params, ctx) {\n  return items;\n}";

    @Test
    void registersAVersionOnceAndShowsItOnlyToItsTenant() {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.enrichLead", 1, CODE))
                .post("/api/nodes/custom").then().statusCode(201)
                .header("Location", "/api/nodes/custom/custom.enrichLead/versions/1")
                .body("descriptor.family", equalTo("custom"))
                .body("descriptor.inputs[0].name", equalTo("main"))
                .body("descriptor.outputs.name", equalTo(java.util.List.of("main", "unknown")))
                .body("createdBy", equalTo("editor-1"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.enrichLead", 1, CODE))
                .post("/api/nodes/custom").then().statusCode(200);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.enrichLead", 1, CODE + "\n// changed"))
                .post("/api/nodes/custom").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("register v2"));

        given().auth().oauth2(viewer).get("/api/nodes/custom").then().statusCode(200)
                .body("items.descriptor.type", equalTo(java.util.List.of("custom.enrichLead")))
                .body("items[0].code", nullValue());
        given().auth().oauth2(viewer).get("/api/nodes/custom/custom.enrichLead/versions/1").then().statusCode(200)
                .body("code", equalTo(CODE));
        given().auth().oauth2(viewer).get("/api/nodes").then().statusCode(200).body("type", hasItem("custom.enrichLead"));
        given().auth().oauth2(viewer).queryParam("family", "custom").get("/api/nodes").then().statusCode(200)
                .body("type", equalTo(java.util.List.of("custom.enrichLead")));
        given().auth().oauth2(viewer).get("/api/nodes/custom.enrichLead").then().statusCode(200).body("version", equalTo(java.util.List.of(1)));

        given().auth().oauth2(stranger).get("/api/nodes/custom").then().statusCode(200).body("items", org.hamcrest.Matchers.empty());
        given().auth().oauth2(stranger).get("/api/nodes/custom/custom.enrichLead/versions/1").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(stranger).get("/api/nodes/custom.enrichLead").then().statusCode(404);
        given().auth().oauth2(stranger).get("/api/nodes").then().statusCode(200).body("type", not(hasItem("custom.enrichLead")));
        given().auth().oauth2(stranger).delete("/api/nodes/custom/custom.enrichLead/versions/1").then().statusCode(404);

        assertThat(catalog.find(tenant.toString(), "custom.enrichLead", 1)).isPresent();
        assertThat(catalog.find(UUID.randomUUID().toString(), "custom.enrichLead", 1)).isEmpty();
    }

    @Test
    void theCatalogsEtagChangesWithTheTenantsOwnTypes() {
        String before = given().auth().oauth2(viewer).get("/api/nodes").then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.tagged", 1, CODE))
                .post("/api/nodes/custom").then().statusCode(201);
        given().auth().oauth2(viewer).header("If-None-Match", before).get("/api/nodes").then().statusCode(200);
        String after = given().auth().oauth2(viewer).get("/api/nodes").then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(viewer).header("If-None-Match", after).get("/api/nodes").then().statusCode(304);
    }

    @Test
    void codeThatDoesNotLoadComesBackWithItsLineAndColumn() {
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(registration("custom.broken", 1, "function execute(items) {\n  return items.map(i => {\n    i.json.x = ;\n  });\n}"))
                .post("/api/nodes/custom").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/validation-failed"))
                .body("diagnostics[0].line", equalTo(3))
                .body("diagnostics[0].column", org.hamcrest.Matchers.greaterThan(0))
                .body("diagnostics[0].message", containsString("SyntaxError"))
                .body("violations[0].field", equalTo("code"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.broken", 1, "function run(items) { return items; }"))
                .post("/api/nodes/custom").then().statusCode(400)
                .body("diagnostics[0].message", containsString("must define function execute"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.broken", 1, "\n\nnull.x;\nfunction execute() {}"))
                .post("/api/nodes/custom").then().statusCode(400).body("diagnostics[0].line", equalTo(3));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.broken", 1, "while (true) {}\nfunction execute() {}"))
                .post("/api/nodes/custom").then().statusCode(400).body("detail", containsString("does not load"));
        given().auth().oauth2(viewer).get("/api/nodes/custom/custom.broken/versions/1").then().statusCode(404);
    }

    @Test
    void badDescriptorsAreRefusedFieldByField() {
        String good = registration("custom.checked", 1, CODE);
        String[][] cases = {
                {good.replace("\"custom.checked\"", "\"core.set\""), "type"},
                {good.replace("\"custom.checked\"", "\"custom.<script>\""), "type"},
                {good.replace("\"version\":1", "\"version\":0"), "version"},
                {good.replace("\"version\":1", "\"version\":\"1\""), "version"},
                {good.replace("\"displayName\":\"Enrich lead\"", "\"displayName\":\"\""), "displayName"},
                {good.replace("\"parametersSchema\":{\"type\":\"object\",", "\"parametersSchema\":{\"type\":\"object\",\"$ref\":\"http://169.254.169.254/x\","),
                        "parametersSchema"},
                {good.replace("\"parametersSchema\":{\"type\":\"object\",", "\"parametersSchema\":{\"type\":\"array\","), "parametersSchema.type"},
                {good.replace("\"outputs\":[", "\"trigger\":true,\"outputs\":["), "trigger"},
                {good.replace("{\"name\":\"main\"}", "{\"name\":\"main\",\"type\":\"ai_tool\"}"), "outputs[0].type"},
                {good.replace("{\"name\":\"main\"}", "{\"name\":\"unknown\"}"), "outputs[1].name"},
                {good.replace("\"credentialTypes\":[\"httpHeaderAuth\"]", "\"credentialTypes\":\"httpHeaderAuth\""), "credentialTypes"},
                {good.replace("\"outputs\":[", "\"inputs\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"outputs\":["), "inputs"},
                {good.replace("\"outputs\":[", "\"sneaky\":1,\"outputs\":["), "sneaky"},
                {good.replaceFirst("\"code\":\".*\"", "\"code\":\"" + "x".repeat(CustomNodeRegistration.MOST_CODE_CHARS + 1) + "\""), "code"},
                {good.replaceFirst("\"code\":\".*\"", "\"code\":\"function execute() {} \\\\u0000\""), "code"},
        };
        for (String[] bad : cases) {
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(bad[0]).post("/api/nodes/custom")
                    .then().statusCode(400).contentType("application/problem+json").body("violations.field", hasItem(bad[1]));
        }
        for (String malformed : new String[] {"[]", "\"text\"", "{", "null"}) {
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(malformed).post("/api/nodes/custom")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(good).post("/api/nodes/custom").then().statusCode(403);
        for (String path : new String[] {"custom.checked/versions/x", "core.set/versions/1", "custom.checked/versions/99999999999"}) {
            given().auth().oauth2(viewer).get("/api/nodes/custom/" + path).then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void aVersionAnActiveWorkflowUsesIsNotDeleted() {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(registration("custom.inUse", 1, CODE))
                .post("/api/nodes/custom").then().statusCode(201);
        FakeCompilerPlans.NODE_TYPE_USES.put(tenant + ":custom.inUse:1", "[{\"workflowId\":\"w-1\",\"name\":\"Leads\",\"activeVersion\":3}]");

        given().auth().oauth2(editor).delete("/api/nodes/custom/custom.inUse/versions/1").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("Leads (w-1, version 3)"));
        given().auth().oauth2(viewer).delete("/api/nodes/custom/custom.inUse/versions/1").then().statusCode(403);

        FakeCompilerPlans.NODE_TYPE_USES.remove(tenant + ":custom.inUse:1");
        given().auth().oauth2(editor).delete("/api/nodes/custom/custom.inUse/versions/1").then().statusCode(204);
        given().auth().oauth2(viewer).get("/api/nodes/custom/custom.inUse/versions/1").then().statusCode(404);
        assertThat(catalog.find(tenant.toString(), "custom.inUse", 1)).isEmpty();
    }
}
