package io.weft.inference.retrieval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** Knowledge bases with documents ingested through the API, as the tests that search or ask need them. */
public final class KnowledgeBaseFixtures {
    public static final String BASES = "/api/inference/knowledge-bases";

    private KnowledgeBaseFixtures() {
    }

    /** A new knowledge base of {@code editor}'s tenant with the chunking settings given (JSON); its id. */
    public static String knowledgeBase(String editor, String chunking) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"KB " + UUID.randomUUID() + "\",\"chunking\":" + chunking + "}").post(BASES)
                .then().statusCode(201).extract().path("id");
    }

    /** Uploads a Markdown document and waits until its ingest job succeeded. */
    public static void ingest(String editor, String knowledgeBase, String name, String text, String metadata) {
        String job = given().auth().oauth2(editor).multiPart("file", name, text.getBytes(StandardCharsets.UTF_8), "text/markdown")
                .multiPart("metadata", metadata).post(BASES + "/" + knowledgeBase + "/documents").then().statusCode(202).extract().path("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String status = given().auth().oauth2(editor).get(BASES + "/" + knowledgeBase + "/jobs/" + job).then().extract().path("status");
            if ("succeeded".equals(status)) {
                return;
            }
            assertThat(status).isIn("queued", "running");
            sleepBriefly();
        }
        throw new AssertionError("ingest did not finish");
    }

    static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
