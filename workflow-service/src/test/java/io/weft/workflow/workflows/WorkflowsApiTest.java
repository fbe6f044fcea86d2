package io.weft.workflow.workflows;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class WorkflowsApiTest {
    static final String BASE = "/api/orchestrator/workflows";

    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");

    @AfterEach
    void compilerBackUp() {
        FakeCompiler.DOWN.set(false);
    }

    static String definition(String name, String... nodeTypes) {
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < nodeTypes.length; i++) {
            nodes.append(i == 0 ? "" : ",").append("{\"id\":\"n").append(i).append("\",\"name\":\"Node ").append(i)
                    .append("\",\"type\":\"").append(nodeTypes[i]).append("\",\"typeVersion\":1}");
        }
        return "{\"name\":\"" + name + "\",\"nodes\":[" + nodes + "],\"connections\":[]}";
    }

    static String body(String definition, String... tags) {
        return "{\"definition\":" + definition + ",\"tags\":[" + String.join(",", List.of(tags).stream().map(t -> "\"" + t + "\"").toList()) + "]}";
    }

    private RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    String create(String token, String definition, String... tags) {
        return as(token).body(body(definition, tags)).post(BASE).then().statusCode(201).extract().path("id");
    }

    @Test
    void createsVersionOneAndReadsItBack() {
        Response created = as(editor).body(body(definition("Orders", "trigger.manual", "core.set"), "sales", "eu"))
                .post(BASE).then().statusCode(201)
                .header("ETag", "\"1\"")
                .body("version", equalTo(1))
                .body("name", equalTo("Orders"))
                .body("tags", equalTo(List.of("sales", "eu")))
                .body("compileStatus", equalTo("compiled"))
                .body("diagnostics", hasSize(0))
                .body("active", nullValue())
                .body("createdBy", equalTo("editor-1"))
                .extract().response();
        String id = created.path("id");
        assertThat(created.header("Location")).isEqualTo(BASE + "/" + id);

        as(editor).get(BASE + "/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .body("definition.nodes", hasSize(2)).body("definition.nodes[1].type", equalTo("core.set"));
    }

    @Test
    void aDraftThatDoesNotCompileIsSavedWithItsDiagnostics() {
        as(editor).body(body(definition("Draft", "core.set"))).post(BASE).then().statusCode(201)
                .body("compileStatus", equalTo("failed"))
                .body("diagnostics[0].code", equalTo("NO_TRIGGER"));
    }

    @Test
    void everySaveIsANewVersionGuardedByIfMatch() {
        String id = create(editor, definition("Guarded", "trigger.manual"));

        as(editor).body(body(definition("Guarded v2", "trigger.manual", "core.noOp"))).put(BASE + "/" + id)
                .then().statusCode(428).contentType("application/problem+json");
        as(editor).header("If-Match", "\"1\"").body(body(definition("Guarded v2", "trigger.manual", "core.noOp")))
                .put(BASE + "/" + id).then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2)).body("name", equalTo("Guarded v2")).body("tags", equalTo(List.of()));
        as(editor).header("If-Match", "\"1\"").body(body(definition("Lost update", "trigger.manual")))
                .put(BASE + "/" + id).then().statusCode(412).contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/precondition-failed"));
        as(editor).header("If-Match", "W/\"2\"").body("{\"definition\":" + definition("Weak tag ok", "trigger.manual") + "}")
                .put(BASE + "/" + id).then().statusCode(200).body("version", equalTo(3));
        as(editor).header("If-Match", "nonsense").body(body(definition("x", "trigger.manual"))).put(BASE + "/" + id)
                .then().statusCode(412);
    }

    @Test
    void ofTwoConcurrentEditsOfTheSameRevisionExactlyOneWins() {
        String id = create(editor, definition("Race", "trigger.manual"));
        List<CompletableFuture<Integer>> edits = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String name = "Race " + i;
            edits.add(CompletableFuture.supplyAsync(() -> as(editor).header("If-Match", "\"1\"")
                    .body(body(definition(name, "trigger.manual"))).put(BASE + "/" + id).statusCode()));
        }
        List<Integer> statuses = edits.stream().map(CompletableFuture::join).sorted().toList();

        assertThat(statuses).containsExactly(200, 412);
        as(editor).get(BASE + "/" + id + "/versions").then().statusCode(200).body("items", hasSize(2));
    }

    @Test
    void versionsCanBeListedReadDiffedAndRestored() {
        String id = create(editor, definition("History", "trigger.manual"));
        as(editor).header("If-Match", "\"1\"").body(body(definition("History", "trigger.manual", "core.noOp")))
                .put(BASE + "/" + id).then().statusCode(200);

        as(editor).get(BASE + "/" + id + "/versions").then().statusCode(200)
                .body("items.version", equalTo(List.of(2, 1)))
                .body("items[0].author", equalTo("editor-1"))
                .body("items[0].compileStatus", equalTo("compiled"))
                .body("nextCursor", nullValue());
        as(editor).queryParam("limit", 1).get(BASE + "/" + id + "/versions").then().statusCode(200)
                .body("items.version", equalTo(List.of(2))).body("nextCursor", equalTo("2"));
        as(editor).queryParam("before", 2).get(BASE + "/" + id + "/versions").then().body("items.version", equalTo(List.of(1)));
        as(editor).get(BASE + "/" + id + "/versions/1").then().statusCode(200).body("definition.nodes", hasSize(1));
        as(editor).get(BASE + "/" + id + "/versions/9").then().statusCode(404);

        as(editor).queryParam("from", 1).queryParam("to", 2).get(BASE + "/" + id + "/versions/diff").then().statusCode(200)
                .body("patch", hasSize(1))
                .body("patch[0].op", equalTo("add"))
                .body("patch[0].path", equalTo("/nodes/1"))
                .body("patch[0].value.type", equalTo("core.noOp"));

        as(editor).header("If-Match", "\"2\"").post(BASE + "/" + id + "/versions/1/restore").then().statusCode(200)
                .header("ETag", "\"3\"").body("version", equalTo(3)).body("definition.nodes", hasSize(1));
        as(editor).get(BASE + "/" + id + "/versions/3").then().body("restoredFrom", equalTo(1));
        as(editor).post(BASE + "/" + id + "/versions/1/restore").then().statusCode(428);
    }

    @Test
    void onlyAVersionThatCompilesCanBeActivated() {
        String id = create(editor, definition("Live", "trigger.manual"));
        as(editor).post(BASE + "/" + id + "/activate").then().statusCode(200)
                .header("ETag", "\"2\"").body("revision", equalTo(2))
                .body("active.version", equalTo(1))
                .body("active.planHash", matchesPattern("[0-9a-f]{64}"))
                .body("active.activatedAt", notNullValue());

        // The save's ETag is stale once the workflow is activated: the 412 says why (issue 19).
        as(editor).header("If-Match", "\"1\"").body(body(definition("Live", "core.set"))).put(BASE + "/" + id)
                .then().statusCode(412).body("detail", containsString("activation"));
        as(editor).header("If-Match", "\"2\"").body(body(definition("Live", "core.set"))).put(BASE + "/" + id)
                .then().statusCode(200).body("compileStatus", equalTo("failed")).body("active.version", equalTo(1));
        as(editor).post(BASE + "/" + id + "/activate").then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/compilation-failed"))
                .body("diagnostics.code", hasItem("NO_TRIGGER"));
        as(editor).queryParam("version", 1).post(BASE + "/" + id + "/activate").then().statusCode(200)
                .body("active.version", equalTo(1));
        as(editor).queryParam("version", 42).post(BASE + "/" + id + "/activate").then().statusCode(404);
        as(editor).queryParam("version", "first").post(BASE + "/" + id + "/activate").then().statusCode(400);
        given().auth().oauth2(editor).queryParam("version", 1).post(BASE + "/" + id + "/activate").then().statusCode(200); // no body, no content type

        as(editor).post(BASE + "/" + id + "/deactivate").then().statusCode(200).body("active", nullValue());
    }

    @Test
    void whenTheCompilerIsDownSavesKeepWorkingAndActivationWaits() {
        FakeCompiler.DOWN.set(true);
        String id = as(editor).body(body(definition("Offline", "trigger.manual"))).post(BASE).then().statusCode(201)
                .body("compileStatus", equalTo("unchecked")).extract().path("id");
        as(editor).post(BASE + "/" + id + "/activate").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5");
        FakeCompiler.DOWN.set(false);
        as(editor).post(BASE + "/" + id + "/activate").then().statusCode(200);
    }

    @Test
    void exportAndImportMakeACopy() {
        String id = create(editor, definition("Portable ✓", "trigger.manual"), "shared");
        Response exported = as(editor).get(BASE + "/" + id + "/export").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"workflow-" + id + ".json\"")
                .body("format", equalTo("weft.workflow")).body("formatVersion", equalTo(1))
                .extract().response();

        String otherTenant = InternalTokens.user(UUID.randomUUID(), "editor-9", "editor");
        as(otherTenant).body(exported.asString()).post(BASE + "/import").then().statusCode(201)
                .body("name", equalTo("Portable ✓")).body("tags", equalTo(List.of("shared"))).body("version", equalTo(1))
                .body("id", org.hamcrest.Matchers.not(equalTo(id)));
        as(editor).body("{\"format\":\"n8n\",\"definition\":{}}").post(BASE + "/import").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void deletingRemovesTheWorkflowAndItsVersions() {
        String id = create(editor, definition("Gone", "trigger.manual"));
        as(editor).header("If-Match", "\"7\"").delete(BASE + "/" + id).then().statusCode(412);
        as(editor).delete(BASE + "/" + id).then().statusCode(204);
        as(editor).get(BASE + "/" + id).then().statusCode(404);
        as(editor).get(BASE + "/" + id + "/versions/1").then().statusCode(404);
        as(editor).delete(BASE + "/" + id).then().statusCode(404);
    }
}
