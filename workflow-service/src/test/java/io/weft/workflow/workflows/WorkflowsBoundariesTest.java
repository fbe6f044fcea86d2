package io.weft.workflow.workflows;

import static io.restassured.RestAssured.given;
import static io.weft.workflow.workflows.WorkflowsApiTest.BASE;
import static io.weft.workflow.workflows.WorkflowsApiTest.body;
import static io.weft.workflow.workflows.WorkflowsApiTest.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.weft.testsupport.InternalTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listing, tenancy, permissions and hostile input on every workflow route. */
@QuarkusTest
class WorkflowsBoundariesTest {
    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");

    private RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private String create(String name, String... tags) {
        return as(editor).body(body(definition(name, "trigger.manual"), tags)).post(BASE).then().statusCode(201).extract().path("id");
    }

    @Test
    void listsNewestFirstInPagesWithSearchAndTags() {
        for (String name : List.of("Invoices EU", "Invoices US", "Payroll", "100% done", "invoice_archive")) {
            create(name, name.startsWith("Invoices") ? "billing" : "other");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = as(editor).queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor).get(BASE)
                    .then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.name"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).containsExactly("invoice_archive", "100% done", "Payroll", "Invoices US", "Invoices EU");

        as(editor).queryParam("search", "INVOICES").get(BASE).then().body("items.name", equalTo(List.of("Invoices US", "Invoices EU")));
        as(editor).queryParam("search", "%").get(BASE).then().body("items.name", equalTo(List.of("100% done")));
        as(editor).queryParam("search", "e_a").get(BASE).then().body("items.name", equalTo(List.of("invoice_archive")));
        as(editor).queryParam("tag", "billing").get(BASE).then().body("items", hasSize(2));
        as(editor).queryParam("tag", "nope").get(BASE).then().body("items", hasSize(0));
    }

    @Test
    void anotherTenantsWorkflowIsNotFoundOnEveryRoute() {
        String id = create("Private");
        String stranger = InternalTokens.user(UUID.randomUUID(), "editor-2", "editor");
        String path = BASE + "/" + id;

        as(stranger).get(path).then().statusCode(404).contentType("application/problem+json");
        as(stranger).header("If-Match", "\"1\"").body(body(definition("Mine now", "trigger.manual"))).put(path).then().statusCode(404);
        as(stranger).delete(path).then().statusCode(404);
        as(stranger).get(path + "/versions").then().statusCode(404);
        as(stranger).get(path + "/versions/1").then().statusCode(404);
        as(stranger).queryParam("from", 1).queryParam("to", 1).get(path + "/versions/diff").then().statusCode(404);
        as(stranger).header("If-Match", "\"1\"").post(path + "/versions/1/restore").then().statusCode(404);
        as(stranger).post(path + "/activate").then().statusCode(404);
        as(stranger).post(path + "/deactivate").then().statusCode(404);
        as(stranger).get(path + "/export").then().statusCode(404);
        as(stranger).get(BASE).then().statusCode(200).body("items", hasSize(0));

        as(editor).get(path).then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void viewersReadAndKeysNeedTheirScopes() {
        String id = create("Scoped");
        String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");
        as(viewer).get(BASE + "/" + id).then().statusCode(200);
        as(viewer).body(body(definition("Nope", "trigger.manual"))).post(BASE).then().statusCode(403);
        as(viewer).post(BASE + "/" + id + "/activate").then().statusCode(403);

        String reader = InternalTokens.apiKey(tenant, "key-1", "workflows:read");
        as(reader).get(BASE).then().statusCode(200);
        as(reader).delete(BASE + "/" + id).then().statusCode(403);
        String writer = InternalTokens.apiKey(tenant, "key-2", "workflows:write");
        as(writer).body(body(definition("By key", "trigger.manual"))).post(BASE).then().statusCode(201)
                .body("createdBy", equalTo("key-2"));

        given().get(BASE).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void hostileInputGetsClearFourHundreds() {
        String id = create("Target");
        as(editor).body("{\"definition\": ").post(BASE).then().statusCode(400).contentType("application/problem+json");
        as(editor).body("{}").post(BASE).then().statusCode(400).body("violations[0].field", equalTo("definition"));
        as(editor).body("{\"definition\": []}").post(BASE).then().statusCode(400);
        as(editor).body("{\"definition\": {\"nodes\": []}}").post(BASE).then().statusCode(400)
                .body("violations[0].field", equalTo("definition.name"));
        as(editor).body(body(definition("Nul \\u0000 byte", "trigger.manual"))).post(BASE).then().statusCode(400)
                .body("violations[0].message", org.hamcrest.Matchers.containsString("NUL"));
        as(editor).body(body(definition("x".repeat(201), "trigger.manual"))).post(BASE).then().statusCode(400);
        as(editor).body(body(definition("Tags", "trigger.manual"), "<script>")).post(BASE).then().statusCode(400);
        as(editor).body("{\"definition\":" + definition("Big", "trigger.manual") + ",\"tags\":["
                + "\"t\",".repeat(30) + "\"t\"]}").post(BASE).then().statusCode(400);
        as(editor).body(body(definition("x".repeat(3 * 1024 * 1024), "trigger.manual"))).post(BASE).then().statusCode(413);
        as(editor).body("{\"definition\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000) + "}").post(BASE)
                .then().statusCode(400).contentType("application/problem+json");
        as(editor).body(body(definition("Ünïcødé 🚀 \\u202e שלום", "trigger.manual"))).post(BASE).then().statusCode(201)
                .body("name", equalTo("Ünïcødé 🚀 \u202e שלום"));

        for (String badId : List.of("not-a-uuid", "..%2F..%2Fetc", "0", "x".repeat(500), id.toUpperCase() + "0")) {
            as(editor).get(BASE + "/" + badId).then().statusCode(404);
        }
        for (String limit : List.of("0", "101", "abc", "-1", "99999999999")) {
            as(editor).queryParam("limit", limit).get(BASE).then().statusCode(400).contentType("application/problem+json");
        }
        as(editor).queryParam("cursor", "garbage!").get(BASE).then().statusCode(400);
        as(editor).queryParam("cursor", "x".repeat(1000)).get(BASE).then().statusCode(400);
        as(editor).queryParam("search", "s".repeat(500)).get(BASE).then().statusCode(400);
        as(editor).queryParam("from", "one").queryParam("to", 1).get(BASE + "/" + id + "/versions/diff").then().statusCode(400);
        as(editor).queryParam("from", "0").queryParam("to", 1).get(BASE + "/" + id + "/versions/diff").then().statusCode(400);
        as(editor).get(BASE + "/" + id + "/versions/99999999999").then().statusCode(400);
        as(editor).header("If-Match", "\"" + "9".repeat(40) + "\"").body(body(definition("x", "trigger.manual")))
                .put(BASE + "/" + id).then().statusCode(412);
        as(editor).contentType(ContentType.TEXT).body("hello").post(BASE).then().statusCode(415);
    }
}
