package io.weft.compiler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.weft.compiler.FakeExecutor;
import io.weft.compiler.check.LayeredWorkflows;
import io.weft.testsupport.InternalTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeExecutor.class, restrictToAnnotatedClass = false)
class CompileResourceTest {
    private static final String VALID = """
            {"name":"Hello","nodes":[
              {"id":"start","name":"Start","type":"trigger.manual","typeVersion":1},
              {"id":"call","name":"Call","type":"core.httpRequest","typeVersion":1,"parameters":{"url":"https://example.com/{{ $json.id }}"}}],
             "connections":[{"from":{"node":"start","port":"main"},"to":{"node":"call","port":"main"}}]}""";
    private static final String MISSING_URL = VALID.replace("\"parameters\":{\"url\":\"https://example.com/{{ $json.id }}\"}",
            "\"parameters\":{}");

    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");

    @Test
    void validatesAGoodWorkflow() {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile/validate")
                .then().statusCode(200).body("valid", equalTo(true)).body("diagnostics", empty());
    }

    @Test
    void validationAnswersDiagnosticsNotErrors() {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(MISSING_URL).post("/api/compile/validate")
                .then().statusCode(200).body("valid", equalTo(false))
                .body("diagnostics", hasSize(1))
                .body("diagnostics[0].severity", equalTo("error"))
                .body("diagnostics[0].code", equalTo("MISSING_PARAMETER"))
                .body("diagnostics[0].nodeId", equalTo("call"))
                .body("diagnostics[0].pointer", equalTo("/nodes/1/parameters/url"))
                .body("diagnostics[0].message", startsWith("node call"));
        for (String notAWorkflow : new String[] {"[]", "42", "\"text\"", "{}", "null"}) {
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(notAWorkflow).post("/api/compile/validate")
                    .then().statusCode(200).body("valid", equalTo(false)).body("diagnostics[0].code", equalTo("SCHEMA_VIOLATION"));
        }
    }

    @Test
    void onlyABodyThatIsNotJsonIsABadRequest() {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\": ").post("/api/compile/validate")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(editor).contentType(ContentType.JSON).post("/api/compile/validate")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(editor).contentType(ContentType.TEXT).body(VALID).post("/api/compile/validate")
                .then().statusCode(415).contentType("application/problem+json");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(deep).post("/api/compile/validate")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void compilesAndServesThePlanByHash() {
        Response compiled = given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile")
                .then().statusCode(200)
                .body("hash", matchesPattern("[0-9a-f]{64}"))
                .body("plan.nodes.id", equalTo(java.util.List.of("start", "call")))
                .body("plan.nodes[1].policy.retry.maxAttempts", equalTo(1))
                .body("plan.nodes[1].parameters.method", equalTo("GET"))
                .extract().response();
        String hash = compiled.path("hash");
        assertThat(compiled.header("Location")).isEqualTo("/api/compile/plans/" + hash);

        given().auth().oauth2(editor).get("/api/compile/plans/" + hash)
                .then().statusCode(200).header("ETag", "\"" + hash + "\"")
                .body("hash", equalTo(hash)).body("workflowName", equalTo("Hello"));
    }

    @Test
    void aWorkflowThatDoesNotCompileIs422WithItsDiagnostics() {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(MISSING_URL).post("/api/compile")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/compilation-failed"))
                .body("status", equalTo(422))
                .body("instance", equalTo("/api/compile"))
                .body("diagnostics.code", hasItem("MISSING_PARAMETER"));
    }

    @Test
    void plansBelongToTheTenantThatCompiledThem() {
        String hash = given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile")
                .then().statusCode(200).extract().path("hash");
        String stranger = InternalTokens.user(UUID.randomUUID(), "editor-2", "editor");

        given().auth().oauth2(stranger).get("/api/compile/plans/" + hash).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(editor).get("/api/compile/plans/" + "0".repeat(64)).then().statusCode(404);
        given().auth().oauth2(editor).get("/api/compile/plans/not-a-hash").then().statusCode(404);
        given().auth().oauth2(editor).get("/api/compile/plans/" + hash.toUpperCase()).then().statusCode(404);
    }

    @Test
    void hostileDefinitionsGetAnswersNotFailures() {
        String huge = "{\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\",\"nodes\":[],\"connections\":[]}";
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(huge).post("/api/compile")
                .then().statusCode(413).contentType("application/problem+json");

        given().auth().oauth2(editor).contentType(ContentType.JSON).body(LayeredWorkflows.of(10_000).toString())
                .post("/api/compile/validate")
                .then().statusCode(413).contentType("application/problem+json");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(LayeredWorkflows.of(1001).toString())
                .post("/api/compile/validate")
                .then().statusCode(200).body("valid", equalTo(false))
                .body("diagnostics.find { it.pointer == '/nodes' }.code", equalTo("SCHEMA_VIOLATION"));

        given().auth().oauth2(editor).contentType(ContentType.JSON).body(LayeredWorkflows.of(1000).toString())
                .post("/api/compile").then().statusCode(200).body("plan.nodes", hasSize(1000));

        String nested = VALID.replace("{\"url\"", "{\"body\":{\"type\":\"json\",\"json\":" + "{\"a\":".repeat(400) + "1"
                + "}".repeat(400) + "},\"url\"");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(nested).post("/api/compile").then().statusCode(200);

        String unicode = VALID.replace("\"Hello\"", "\"\\u202e Привет 🚀 \\u0000\"");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(unicode).post("/api/compile").then().statusCode(200);
    }

    @Test
    void needsReadAccessToWorkflows() {
        given().contentType(ContentType.JSON).body(VALID).post("/api/compile").then().statusCode(401);
        String runOnly = InternalTokens.apiKey(tenant, "key-1", "executions:run");
        given().auth().oauth2(runOnly).contentType(ContentType.JSON).body(VALID).post("/api/compile")
                .then().statusCode(403).contentType("application/problem+json");
        String reader = InternalTokens.apiKey(tenant, "key-2", "workflows:read");
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(VALID).post("/api/compile/validate").then().statusCode(200);
    }

    @Test
    void theCatalogIsFetchedOnceAndThenRevalidatedWithItsEtag() throws InterruptedException {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile/validate").then().statusCode(200);
        int downloads = FakeExecutor.CATALOG_DOWNLOADS.get();
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile/validate").then().statusCode(200);
        }
        Thread.sleep(1100); // weft.compiler.catalog-refresh is 1 s in tests
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile/validate").then().statusCode(200);

        assertThat(downloads).isEqualTo(1);
        assertThat(FakeExecutor.CATALOG_DOWNLOADS.get()).isEqualTo(1);
        assertThat(FakeExecutor.CATALOG_REVALIDATIONS.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void credentialReferencesMustNameACredentialOfTheTenantOfTheRightType() {
        String basic = UUID.randomUUID().toString();
        String bearer = UUID.randomUUID().toString();
        String elsewhere = UUID.randomUUID().toString();
        FakeExecutor.CREDENTIALS.put(tenant.toString(), java.util.Map.of(basic, "httpBasicAuth", bearer, "httpBearerAuth"));
        FakeExecutor.CREDENTIALS.put(UUID.randomUUID().toString(), java.util.Map.of(elsewhere, "httpBasicAuth"));
        java.util.function.Function<String, String> using = id -> VALID.replace("\"parameters\":{\"url\"",
                "\"credentials\":{\"httpBasicAuth\":{\"id\":\"" + id + "\"}},\"parameters\":{\"authentication\":\"credential\",\"url\"");

        given().auth().oauth2(editor).contentType(ContentType.JSON).body(using.apply(basic)).post("/api/compile/validate")
                .then().statusCode(200).body("valid", equalTo(true));
        for (String missing : new String[] {elsewhere, UUID.randomUUID().toString(), "not-an-id"}) {
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(using.apply(missing)).post("/api/compile/validate")
                    .then().statusCode(200).body("valid", equalTo(false))
                    .body("diagnostics[0].code", equalTo("CREDENTIAL_NOT_FOUND"))
                    .body("diagnostics[0].pointer", equalTo("/nodes/1/credentials/httpBasicAuth"));
        }
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(using.apply(bearer)).post("/api/compile")
                .then().statusCode(422).body("diagnostics[0].code", equalTo("CREDENTIAL_TYPE_MISMATCH"));
    }

    @Test
    void aTenantsOwnNodeTypesCompileForItAndAreUnknownToOthers() {
        io.vertx.core.json.JsonObject descriptor = new io.vertx.core.json.JsonObject("""
                {"type":"custom.enrich","version":2,"displayName":"Enrich","family":"custom","trigger":false,
                 "parametersSchema":{"type":"object","additionalProperties":false,"required":["field"],
                   "properties":{"field":{"type":"string","minLength":1}}},
                 "inputs":[{"name":"main","type":"main","displayName":"Input","required":true}],
                 "outputs":[{"name":"main","type":"main","displayName":"Output","required":false},
                            {"name":"rejected","type":"main","displayName":"Rejected","required":false}],
                 "credentialTypes":[]}""");
        FakeExecutor.CUSTOM_TYPES.put(tenant.toString(), new io.vertx.core.json.JsonArray().add(descriptor));
        String using = """
                {"name":"Own","nodes":[
                  {"id":"start","name":"Start","type":"trigger.manual","typeVersion":1},
                  {"id":"own","name":"Own","type":"custom.enrich","typeVersion":2,"parameters":{"field":"email"}},
                  {"id":"after","name":"After","type":"core.noOp","typeVersion":1}],
                 "connections":[{"from":{"node":"start","port":"main"},"to":{"node":"own","port":"main"}},
                                {"from":{"node":"own","port":"rejected"},"to":{"node":"after","port":"main"}}]}""";

        given().auth().oauth2(editor).contentType(ContentType.JSON).body(using).post("/api/compile")
                .then().statusCode(200).body("plan.nodes.find { it.id == 'own' }.type", equalTo("custom.enrich"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(using.replace("\"field\":\"email\"", "\"field\":\"\""))
                .post("/api/compile/validate").then().statusCode(200).body("valid", equalTo(false));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(using.replace("\"typeVersion\":2", "\"typeVersion\":1"))
                .post("/api/compile/validate").then().statusCode(200).body("valid", equalTo(false));

        String stranger = InternalTokens.user(UUID.randomUUID(), "editor-2", "editor");
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body(using).post("/api/compile/validate")
                .then().statusCode(200).body("valid", equalTo(false)).body("diagnostics[0].pointer", equalTo("/nodes/1/type"));
    }
}
