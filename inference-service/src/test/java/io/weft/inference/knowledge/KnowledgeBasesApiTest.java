package io.weft.inference.knowledge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.weft.testsupport.InternalTokens;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Knowledge bases through inference-service's API, on real PostgreSQL (issue 21, first slice). */
@QuarkusTest
class KnowledgeBasesApiTest {
    private static final String BASES = "/api/inference/knowledge-bases";
    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");

    private Response create(String body) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body(body).post(BASES);
    }

    private String created(String body) {
        return create(body).then().statusCode(201).extract().path("id");
    }

    @Test
    void aKnowledgeBaseGetsTheOfflineModelAndDefaultsWhenItAsksForNothingElse() {
        Response created = create("{\"name\":\"Handbook\",\"description\":\"  The staff handbook  \"}");
        created.then().statusCode(201).contentType(ContentType.JSON)
                .body("name", equalTo("Handbook")).body("description", equalTo("The staff handbook"))
                .body("embedding.provider", equalTo("local")).body("embedding.model", equalTo("all-minilm-l6-v2"))
                .body("embedding.dimension", equalTo(384)).body("embedding.credentialId", nullValue())
                .body("chunking.mode", equalTo("recursive")).body("chunking.size", equalTo(1000)).body("chunking.overlap", equalTo(200))
                .body("retrieval.mode", equalTo("hybrid")).body("retrieval.k", equalTo(8)).body("revision", equalTo(1))
                .body("createdBy", equalTo("editor-1"));
        String id = created.path("id");
        assertThat(created.header("Location")).isEqualTo(BASES + "/" + id);

        given().auth().oauth2(viewer).get(BASES + "/" + id).then().statusCode(200).body("name", equalTo("Handbook"));
        given().auth().oauth2(viewer).get(BASES).then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(id));
    }

    @Test
    void aProviderModelNamesItsCredentialAndAnUnknownOneItsDimension() {
        String credential = UUID.randomUUID().toString();
        create("{\"name\":\"Big\",\"embedding\":{\"provider\":\"openAi\",\"model\":\"text-embedding-3-large\",\"credentialId\":\""
                + credential + "\"}}").then().statusCode(201).body("embedding.dimension", equalTo(3072))
                .body("embedding.credentialId", equalTo(credential));
        create("{\"name\":\"Local server\",\"embedding\":{\"provider\":\"ollama\",\"model\":\"bge-m3\",\"dimension\":1024,\"credentialId\":\""
                + credential + "\"}}").then().statusCode(201).body("embedding.dimension", equalTo(1024));

        for (String[] wrong : List.of(
                new String[] {"{\"provider\":\"openAi\",\"model\":\"text-embedding-3-small\"}", "embedding.credentialId"},
                new String[] {"{\"provider\":\"ollama\",\"model\":\"bge-m3\",\"credentialId\":\"" + credential + "\"}", "embedding.dimension"},
                new String[] {"{\"provider\":\"openAi\",\"model\":\"text-embedding-3-small\",\"dimension\":99,\"credentialId\":\"" + credential
                        + "\"}", "embedding.dimension"},
                new String[] {"{\"provider\":\"cohere\",\"model\":\"embed\"}", "embedding.provider"},
                new String[] {"{\"provider\":\"local\",\"model\":\"bge-small\"}", "embedding.model"},
                new String[] {"{\"provider\":\"local\",\"credentialId\":\"" + credential + "\"}", "embedding.credentialId"},
                new String[] {"{\"provider\":\"gemini\",\"model\":\"text-embedding-004\",\"credentialId\":\"nope\"}", "embedding.credentialId"},
                new String[] {"{\"model\":\"text-embedding-004\"}", "embedding.provider"})) {
            create("{\"name\":\"Wrong " + UUID.randomUUID() + "\",\"embedding\":" + wrong[0] + "}").then().statusCode(400)
                    .contentType("application/problem+json").body("violations[0].field", equalTo(wrong[1]));
        }
    }

    @Test
    void theEmbeddingModelIsFixedAndTheRestChangesOneRevisionAtATime() {
        String id = created("{\"name\":\"Policies\",\"chunking\":{\"mode\":\"parentChild\",\"size\":400}}");
        given().auth().oauth2(viewer).get(BASES + "/" + id).then().statusCode(200).body("chunking.parentSize", equalTo(1600));

        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"embedding\":{\"provider\":\"local\"}}")
                .patch(BASES + "/" + id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("fixed when it is created"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"HR policies\",\"description\":\"\",\"chunking\":{\"mode\":\"recursive\"},\"retrieval\":{\"k\":20,\"textWeight\":0.5}}")
                .patch(BASES + "/" + id).then().statusCode(200)
                .body("name", equalTo("HR policies")).body("description", nullValue()).body("revision", equalTo(2))
                .body("chunking.mode", equalTo("recursive")).body("chunking.parentSize", nullValue()).body("chunking.size", equalTo(400))
                .body("retrieval.k", equalTo(20)).body("retrieval.textWeight", equalTo(0.5f)).body("retrieval.vectorWeight", equalTo(1.0f))
                .body("updatedBy", equalTo("editor-1"));

        created("{\"name\":\"Other\"}");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"Other\"}").patch(BASES + "/" + id)
                .then().statusCode(409).body("detail", containsString("of that name already"));
        create("{\"name\":\"HR policies\"}").then().statusCode(409);
    }

    @Test
    void settingsOutOfBoundsAreProblemsAndNothingIsWritten() {
        for (String[] wrong : List.of(
                new String[] {"{\"name\":\"  \"}", "name"},
                new String[] {"{\"name\":\"" + "n".repeat(201) + "\"}", "name"},
                new String[] {"{\"name\":\"nul\\u0000\"}", "name"},
                new String[] {"{\"name\":\"x\",\"description\":\"" + "d".repeat(2001) + "\"}", "description"},
                new String[] {"{\"name\":\"x\",\"chunking\":{\"size\":50}}", "chunking.size"},
                new String[] {"{\"name\":\"x\",\"chunking\":{\"size\":500,\"overlap\":300}}", "chunking.overlap"},
                new String[] {"{\"name\":\"x\",\"chunking\":{\"mode\":\"sentences\"}}", "chunking.mode"},
                new String[] {"{\"name\":\"x\",\"chunking\":{\"parentSize\":5000}}", "chunking.parentSize"},
                new String[] {"{\"name\":\"x\",\"chunking\":{\"mode\":\"parentChild\",\"size\":1000,\"parentSize\":900}}", "chunking.parentSize"},
                new String[] {"{\"name\":\"x\",\"retrieval\":{\"k\":0}}", "retrieval.k"},
                new String[] {"{\"name\":\"x\",\"retrieval\":{\"vectorWeight\":-1}}", "retrieval.vectorWeight"},
                new String[] {"{\"name\":\"x\",\"retrieval\":{\"vectorWeight\":0,\"textWeight\":0}}", "retrieval"},
                new String[] {"{\"name\":\"x\",\"retrieval\":{\"minScore\":1.5}}", "retrieval.minScore"})) {
            create(wrong[0]).then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo(wrong[1]));
        }
        for (String malformed : List.of("{", "[]", "\"x\"", "{\"name\":\"x\",\"name\":\"y\"}",
                "{\"name\":\"x\",\"chunking\":{\"size\":\"big\"}}", "{\"name\":\"x\",\"embedding\":[1]}")) {
            create(malformed).then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(3_000_000) + "\"}").post(BASES)
                .then().statusCode(org.hamcrest.Matchers.either(equalTo(400)).or(equalTo(413))).contentType("application/problem+json");
        given().auth().oauth2(viewer).get(BASES).then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void anotherTenantsKnowledgeBaseIsNotFoundAndRolesAndScopesAreKept() {
        String id = created("{\"name\":\"Secret plans\"}");
        UUID other = UUID.randomUUID();
        String stranger = InternalTokens.user(other, "owner-9", "owner");
        given().auth().oauth2(stranger).get(BASES + "/" + id).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body("{\"name\":\"Mine now\"}").patch(BASES + "/" + id)
                .then().statusCode(404);
        given().auth().oauth2(stranger).delete(BASES + "/" + id).then().statusCode(404);
        given().auth().oauth2(stranger).get(BASES).then().statusCode(200).body("items", hasSize(0));

        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("{\"name\":\"By a viewer\"}").post(BASES).then().statusCode(403);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k-1", "documents:read")).get(BASES + "/" + id).then().statusCode(200);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k-1", "documents:read")).delete(BASES + "/" + id).then().statusCode(403);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k-2", "workflows:read")).get(BASES).then().statusCode(403);
        given().get(BASES).then().statusCode(401);
        for (String hostile : List.of("abc", "1'%20OR%20'1'='1", "..%2F..%2Fetc", UUID.randomUUID().toString())) {
            given().auth().oauth2(viewer).get(BASES + "/" + hostile).then().statusCode(404).contentType("application/problem+json");
        }

        given().auth().oauth2(editor).delete(BASES + "/" + id).then().statusCode(204);
        given().auth().oauth2(viewer).get(BASES + "/" + id).then().statusCode(404);
        given().auth().oauth2(editor).delete(BASES + "/" + id).then().statusCode(404);
    }

    @Test
    void theListPagesNewestChangeFirstWithCursors() {
        for (int i = 0; i < 5; i++) {
            created("{\"name\":\"Base " + i + "\"}");
        }
        Response first = given().auth().oauth2(viewer).queryParam("limit", 3).get(BASES);
        first.then().statusCode(200).body("items", hasSize(3)).body("items[0].name", equalTo("Base 4"));
        String cursor = first.path("nextCursor");
        given().auth().oauth2(viewer).queryParam("limit", 3).queryParam("cursor", cursor).get(BASES).then().statusCode(200)
                .body("items", hasSize(2)).body("items[1].name", equalTo("Base 0")).body("nextCursor", nullValue());
        given().auth().oauth2(viewer).queryParam("cursor", "not-a-cursor").get(BASES).then().statusCode(400);
        given().auth().oauth2(viewer).queryParam("limit", 1000).get(BASES).then().statusCode(400);
    }
}
