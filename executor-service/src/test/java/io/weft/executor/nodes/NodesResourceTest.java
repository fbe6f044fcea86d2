package io.weft.executor.nodes;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.testsupport.InternalTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class NodesResourceTest {
    private final String viewer = InternalTokens.user(UUID.randomUUID(), "viewer", "viewer");

    @Test
    void listsTheNewestVersionOfEveryType() {
        given().auth().oauth2(viewer).get("/api/nodes")
                .then().statusCode(200)
                .header("ETag", containsString("\""))
                .body("size()", equalTo(31))
                .body("type", hasItem("core.httpRequest"))
                .body("find { it.type == 'core.if' }.outputs.name", equalTo(java.util.List.of("true", "false")));
    }

    @Test
    void filtersByFamily() {
        given().auth().oauth2(viewer).queryParam("family", "trigger").get("/api/nodes")
                .then().statusCode(200).body("trigger", everyItem(equalTo(true))).body("size()", equalTo(4));
        given().auth().oauth2(viewer).queryParam("family", "llm").get("/api/nodes").then().statusCode(200)
                .body("type", equalTo(java.util.List.of("ai.agent", "ai.chatModel.gemini", "ai.chatModel.ollama", "ai.chatModel.openAi",
                        "ai.informationExtractor", "ai.llmChain", "ai.memory.postgres", "ai.qaChain", "ai.textClassifier", "ai.tool.vectorStore", "ai.tool.workflow", "ai.vectorStore.insert",
                        "ai.vectorStore.retrieve")));
        given().auth().oauth2(viewer).queryParam("family", "<script>").get("/api/nodes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/validation-failed"));
    }

    @Test
    void answersNotModifiedForTheCurrentEtag() {
        String etag = given().auth().oauth2(viewer).get("/api/nodes").then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(viewer).header("If-None-Match", etag).get("/api/nodes").then().statusCode(304);
        given().auth().oauth2(viewer).header("If-None-Match", "W/" + etag).get("/api/nodes/core.set").then().statusCode(304);
        given().auth().oauth2(viewer).header("If-None-Match", "\"stale\"").get("/api/nodes").then().statusCode(200);
    }

    @Test
    void listsEveryVersionOfOneType() {
        given().auth().oauth2(viewer).get("/api/nodes/core.httpRequest")
                .then().statusCode(200).body("version", equalTo(java.util.List.of(1)))
                .body("[0].parametersSchema.required", hasItem("url"))
                .body("[0].credentialTypes", hasItem("httpBearerAuth"));
        given().auth().oauth2(viewer).get("/api/nodes/all").then().statusCode(200).body("$", hasSize(31));
    }

    @Test
    void unknownAndHostileTypeNamesAreNotFound() {
        given().auth().oauth2(viewer).get("/api/nodes/core.nope").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(viewer).get("/api/nodes/" + "x".repeat(9000)).then().statusCode(414).contentType("application/problem+json");
        given().auth().oauth2(viewer).get("/api/nodes/" + "x".repeat(5000)).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(viewer).get("/api/nodes/" + "x".repeat(1500)).then().statusCode(404)
                .body("detail.length()", org.hamcrest.Matchers.lessThan(400));
        given().auth().oauth2(viewer).urlEncodingEnabled(true).get("/api/nodes/{type}", "ü\u202e'\"; drop table")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void needsAnAuthenticatedCallerWithReadAccess() {
        given().get("/api/nodes").then().statusCode(401).contentType("application/problem+json");
        String keyWithoutRead = InternalTokens.apiKey(UUID.randomUUID(), "key-1", "executions:run");
        given().auth().oauth2(keyWithoutRead).get("/api/nodes").then().statusCode(403);
        String keyWithRead = InternalTokens.apiKey(UUID.randomUUID(), "key-2", "workflows:read");
        given().auth().oauth2(keyWithRead).get("/api/nodes").then().statusCode(200);
    }
}
