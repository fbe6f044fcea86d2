package io.weft.inference.documents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.inference.extraction.TestDocuments;
import io.weft.inference.providers.FakeCredentials;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Documents uploaded through the API and ingested asynchronously over real Kafka into real PostgreSQL with pgvector (issue 21). */
@QuarkusTest
class DocumentsApiTest {
    static final String BASES = "/api/inference/knowledge-bases";
    static final String HANDBOOK = """
            # Leave

            Staff get twenty-five days of paid leave each year. Leave is booked in the HR portal at least two weeks ahead.

            ## Carry-over

            Up to five unused days carry over to the next year; the rest lapse on the first of April.

            # Expenses

            Travel is reimbursed at cost with receipts. Meals on trips are covered up to forty euros a day.

            ## Approvals

            Expenses above five hundred euros need the approval of a director before they are made.
            """;

    final UUID tenant = UUID.randomUUID();
    final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    final String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");

    @Inject
    Pool pool;

    String knowledgeBase(String chunking) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"KB " + UUID.randomUUID() + "\",\"chunking\":" + chunking + "}").post(BASES)
                .then().statusCode(201).extract().path("id");
    }

    Response upload(String token, String base, String fileName, String contentType, byte[] content, String metadata) {
        var request = given().auth().oauth2(token).multiPart("file", fileName, content, contentType);
        if (metadata != null) {
            request = request.multiPart("metadata", metadata);
        }
        return request.post(BASES + "/" + base + "/documents");
    }

    @Test
    void aServiceUploadingForATenantIsHeldToTheTierTheGatewaySaysTheTenantIsOn() {
        byte[] threeMegabytes = utf8("a".repeat(3 << 20));
        FakeCredentials.TIERS.put(tenant, "pro");
        upload(InternalTokens.service(tenant, "executor", "documents:write"), knowledgeBase("{}"), "big.txt", "text/plain", threeMegabytes,
                null).then().statusCode(202);

        UUID unknownToTheGateway = UUID.randomUUID();
        String base = given().auth().oauth2(InternalTokens.user(unknownToTheGateway, "owner-1", "owner")).contentType(ContentType.JSON)
                .body("{\"name\":\"KB\"}").post(BASES).then().statusCode(201).extract().path("id");
        upload(InternalTokens.service(unknownToTheGateway, "executor", "documents:write"), base, "big.txt", "text/plain", threeMegabytes,
                null).then().statusCode(413).contentType("application/problem+json").body("detail", containsString("up to 2097152 bytes"));

        UUID whileTheGatewayIsDown = UUID.randomUUID();
        FakeCredentials.TIERS.put(whileTheGatewayIsDown, "down");
        String baseOfAnother = given().auth().oauth2(InternalTokens.user(whileTheGatewayIsDown, "owner-1", "owner")).contentType(ContentType.JSON)
                .body("{\"name\":\"KB\"}").post(BASES).then().statusCode(201).extract().path("id");
        upload(InternalTokens.service(whileTheGatewayIsDown, "executor", "documents:write"), baseOfAnother, "big.txt", "text/plain",
                threeMegabytes, null).then().statusCode(413).body("detail", containsString("up to 2097152 bytes"));
        upload(InternalTokens.service(whileTheGatewayIsDown, "executor", "documents:write"), baseOfAnother, "small.txt", "text/plain",
                utf8("small enough for any plan"), null).then().statusCode(202);
    }

    JsonPath ingested(String base, String fileName, String contentType, byte[] content, String metadata) {
        Response accepted = upload(editor, base, fileName, contentType, content, metadata);
        accepted.then().statusCode(202).body("status", equalTo("queued"));
        assertThat(accepted.header("Location")).isEqualTo(BASES + "/" + base + "/jobs/" + accepted.path("id"));
        return finished(base, accepted.path("id"));
    }

    JsonPath finished(String base, String job) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath state = given().auth().oauth2(viewer).get(BASES + "/" + base + "/jobs/" + job).then().statusCode(200).extract().jsonPath();
            if (state.getString("finishedAt") != null) {
                return state;
            }
            sleep(100);
        }
        throw new AssertionError("the ingest job " + job + " did not finish in 90 s");
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Row> chunks(String documentId) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("""
                        SELECT c.ordinal, c.content, c.start_offset, c.end_offset, vector_dims(c.embedding) AS dims, c.metadata::text AS metadata,
                               substring(d.text from c.start_offset + 1 for c.end_offset - c.start_offset) AS cited
                        FROM chunks c JOIN documents d ON d.tenant_id = c.tenant_id AND d.knowledge_base_id = c.knowledge_base_id AND d.id = c.document_id
                        WHERE c.tenant_id = $1 AND c.document_id = $2 ORDER BY c.ordinal""")
                .execute(Tuple.of(tenant, UUID.fromString(documentId))).await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
        return rows;
    }

    @Test
    void anUploadIsAcceptedAtOnceAndIngestedIntoChunksThatCiteTheirText() {
        String base = knowledgeBase("{\"size\":200,\"overlap\":0}");
        JsonPath job = ingested(base, "handbook.md", "text/markdown", utf8(HANDBOOK), "{\"team\":\"hr\",\"year\":2026,\"public\":true}");
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getInt("attempts")).isEqualTo(1);
        int chunks = job.getInt("progress.chunks");
        assertThat(chunks).isGreaterThanOrEqualTo(4);
        assertThat(job.getInt("progress.embedded")).isEqualTo(chunks);
        String documentId = job.getString("documentId");

        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents/" + documentId).then().statusCode(200)
                .body("name", equalTo("handbook.md")).body("contentType", equalTo("text/markdown")).body("chunkCount", equalTo(chunks))
                .body("metadata.team", equalTo("hr")).body("metadata.year", equalTo(2026)).body("metadata.public", equalTo(true))
                .body("jobId", equalTo(job.getString("id"))).body("createdBy", equalTo("editor-1"));
        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].id", equalTo(documentId));

        List<Row> rows = chunks(documentId);
        assertThat(rows).hasSize(chunks);
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertThat(row.getInteger("ordinal")).isEqualTo(i);
            assertThat(row.getString("content")).isEqualTo(row.getString("cited")).hasSizeLessThanOrEqualTo(200);
            assertThat(row.getInteger("dims")).isEqualTo(384);
            assertThat(row.getString("metadata")).contains("\"team\": \"hr\"");
        }
        assertThat(rows.get(0).getString("content")).startsWith("# Leave");
        assertThat(rows).anyMatch(row -> row.getString("content").startsWith("# Expenses"));
    }

    @Test
    void anUnchangedUploadEmbedsNothingAndAChangedOneReplacesItsChunksReusingWhatDidNotChange() {
        String base = knowledgeBase("{\"size\":200,\"overlap\":0}");
        JsonPath first = ingested(base, "handbook.md", "text/markdown", utf8(HANDBOOK), null);
        String documentId = first.getString("documentId");
        int chunks = first.getInt("progress.chunks");

        JsonPath again = ingested(base, "handbook.md", "text/markdown", utf8(HANDBOOK), "{\"team\":\"people\"}");
        assertThat(again.getString("status")).isEqualTo("succeeded");
        assertThat(again.getString("documentId")).isEqualTo(documentId);
        assertThat(again.getInt("progress.embedded")).isZero();
        assertThat(again.getInt("progress.reused")).isEqualTo(chunks);
        assertThat(chunks(documentId)).hasSize(chunks).allMatch(row -> row.getString("metadata").contains("people"));

        String changed = HANDBOOK.replace("forty euros", "forty-five euros");
        JsonPath third = ingested(base, "handbook.md", "text/markdown", utf8(changed), null);
        assertThat(third.getString("documentId")).isEqualTo(documentId);
        assertThat(third.getInt("progress.embedded")).isEqualTo(1);
        assertThat(third.getInt("progress.reused")).isEqualTo(chunks - 1);
        List<Row> rows = chunks(documentId);
        assertThat(rows).hasSize(chunks);
        assertThat(rows).anyMatch(row -> row.getString("content").contains("forty-five euros"))
                .noneMatch(row -> row.getString("content").contains(" forty euros"));
        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void htmlAndPdfAreIngestedAndAnUnreadablePdfFailsWithItsReasonLeavingNoDocument() {
        String base = knowledgeBase("{\"size\":300,\"overlap\":50}");
        JsonPath html = ingested(base, "policy.html", "text/html", utf8("<html><body><h1>Remote work</h1><p>Staff may work remotely"
                + " three days a week.</p><script>steal()</script></body></html>"), null);
        assertThat(html.getString("status")).isEqualTo("succeeded");
        assertThat(chunks(html.getString("documentId"))).singleElement()
                .satisfies(row -> assertThat(row.getString("content")).isEqualTo("# Remote work\n\nStaff may work remotely three days a week."));

        JsonPath pdf = ingested(base, "rules.pdf", "application/octet-stream", TestDocuments.pdf(List.of(
                List.of("Security rules", "Lock your screen when you leave your desk."), List.of("Report lost badges at once."))), null);
        assertThat(pdf.getString("status")).isEqualTo("succeeded");
        assertThat(pdf.getString("contentType")).isEqualTo("application/pdf");
        assertThat(chunks(pdf.getString("documentId"))).anyMatch(row -> row.getString("content").contains("Report lost badges"));

        for (Object[] bad : List.of(new Object[] {"salaries.pdf", TestDocuments.encryptedPdf("open-sesame"), "encrypted"},
                new Object[] {"scan.pdf", TestDocuments.pdfWithoutText(), "empty-text"},
                new Object[] {"bomb.pdf", TestDocuments.decompressionBomb(300L << 20), "too-large"})) {
            JsonPath failed = ingested(base, (String) bad[0], "application/pdf", (byte[]) bad[1], null);
            assertThat(failed.getString("status")).isEqualTo("failed");
            assertThat(failed.getString("error.code")).isEqualTo(bad[2]);
            assertThat(failed.getString("error.message")).isNotBlank();
            assertThat(failed.getInt("attempts")).isEqualTo(1);
            assertThat(failed.getString("documentId")).isNull();
        }
        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents").then().statusCode(200).body("items", hasSize(2));
        long uploadsLeft = pool.preparedQuery("SELECT count(*) FROM ingest_uploads WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertThat(uploadsLeft).as("uploads kept after their jobs ended").isZero();
    }

    @Test
    void aKnowledgeBaseOfAProvidersModelWhoseCredentialIsGoneFailsItsJobsWithTheReason() {
        String base = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"Provider " + UUID.randomUUID()
                + "\",\"embedding\":{\"provider\":\"openAi\",\"model\":\"text-embedding-3-small\",\"credentialId\":\""
                + UUID.randomUUID() + "\"}}").post(BASES).then().statusCode(201).extract().path("id");
        JsonPath job = ingested(base, "notes.txt", "text/plain", utf8("Team lunch is on Fridays."), null);
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("embedding-unavailable");
        assertThat(job.getString("error.message")).contains("does not exist in this organisation");
        assertThat(job.getInt("attempts")).isEqualTo(1);
        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void hostileUploadsAreRefusedAtOnceAndQueueNothing() {
        String base = knowledgeBase("{}");
        String documents = BASES + "/" + base + "/documents";
        upload(editor, base, "empty.txt", "text/plain", new byte[0], null).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("empty"));
        upload(editor, base, "photo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, null).then().statusCode(415)
                .contentType("application/problem+json");
        upload(editor, base, "photo.txt", "text/plain", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xFF}, null).then().statusCode(415)
                .contentType("application/problem+json").body("detail", containsString("UTF-8"));
        upload(editor, base, "fake.pdf", "application/pdf", utf8("MZ this is a program"), null).then().statusCode(415)
                .body("detail", containsString("not one"));
        String freeEditor = InternalTokens.user(tenant, "editor-2", "editor", "free");
        upload(freeEditor, base, "big.txt", "text/plain", utf8("a".repeat(3 << 20)), null).then().statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("your plan"));
        upload(editor, base, "big.txt", "text/plain", utf8("a".repeat(17 << 20)), null).then().statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("up to 16777216 bytes"));
        upload(editor, base, "notes.txt", "text/plain", utf8("hello"), "[1,2]").then().statusCode(400).body("violations[0].field", equalTo("metadata"));
        upload(editor, base, "notes.txt", "text/plain", utf8("hello"), "{\"a\":{\"b\":1}}").then().statusCode(400)
                .body("violations[0].field", equalTo("metadata.a"));
        upload(editor, base, "notes.txt", "text/plain", utf8("hello"), "{\"a\":1,\"a\":2}").then().statusCode(400);
        upload(editor, base, "notes.txt", "text/plain", utf8("hello"), "{not json").then().statusCode(400);
        given().auth().oauth2(editor).multiPart("file", "a.txt", utf8("a"), "text/plain").multiPart("file", "b.txt", utf8("b"), "text/plain")
                .post(documents).then().statusCode(400).body("violations[0].field", equalTo("file"));
        given().auth().oauth2(editor).multiPart("name", "no file").post(documents).then().statusCode(400)
                .body("violations[0].field", equalTo("file"));
        given().auth().oauth2(editor).multiPart("file", "a.txt", utf8("a"), "text/plain").multiPart("name", "bad\nname").post(documents)
                .then().statusCode(400).body("violations[0].field", equalTo("name"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"file\":\"hello\"}").post(documents).then().statusCode(415)
                .contentType("application/problem+json");
        given().auth().oauth2(editor).contentType("multipart/form-data; boundary=xyz").body(utf8("--xyz\r\ngarbage")).post(documents)
                .then().statusCode(org.hamcrest.Matchers.oneOf(400, 415)).contentType("application/problem+json");
        given().auth().oauth2(editor).contentType("text/plain").body(new byte[66 << 20]).post(documents).then().statusCode(413)
                .contentType("application/problem+json");

        long jobs = pool.preparedQuery("SELECT count(*) FROM ingest_jobs WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertThat(jobs).as("jobs queued by refused uploads").isZero();
    }

    @Test
    void anotherTenantSeesNothingAndRolesAndScopesAreKept() {
        String base = knowledgeBase("{}");
        JsonPath job = ingested(base, "notes.txt", "text/plain", utf8("Team lunch is on Fridays."), null);
        String document = job.getString("documentId");
        String stranger = InternalTokens.user(UUID.randomUUID(), "owner-9", "owner");
        upload(stranger, base, "mine.txt", "text/plain", utf8("taken over"), null).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(stranger).get(BASES + "/" + base + "/jobs/" + job.getString("id")).then().statusCode(404);
        given().auth().oauth2(stranger).get(BASES + "/" + base + "/jobs/" + job.getString("id") + "/events").then().statusCode(404);
        given().auth().oauth2(stranger).get(BASES + "/" + base + "/documents").then().statusCode(404);
        given().auth().oauth2(stranger).get(BASES + "/" + base + "/documents/" + document).then().statusCode(404);
        given().auth().oauth2(stranger).delete(BASES + "/" + base + "/documents/" + document).then().statusCode(404);
        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents/not-an-id").then().statusCode(404);

        upload(viewer, base, "x.txt", "text/plain", utf8("x"), null).then().statusCode(403);
        given().auth().oauth2(viewer).delete(BASES + "/" + base + "/documents/" + document).then().statusCode(403);
        upload(InternalTokens.apiKey(tenant, "k-1", "documents:read"), base, "x.txt", "text/plain", utf8("x"), null).then().statusCode(403);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k-1", "documents:read")).get(BASES + "/" + base + "/documents/" + document)
                .then().statusCode(200);
        assertThat(chunks(document)).hasSize(1);
    }

    @Test
    void deletingADocumentOrItsKnowledgeBaseRemovesItsChunks() {
        String base = knowledgeBase("{\"size\":200,\"overlap\":0}");
        String document = ingested(base, "handbook.md", "text/markdown", utf8(HANDBOOK), null).getString("documentId");
        String other = ingested(base, "notes.txt", "text/plain", utf8("Team lunch is on Fridays."), null).getString("documentId");
        given().auth().oauth2(editor).delete(BASES + "/" + base + "/documents/" + document).then().statusCode(204);
        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents/" + document).then().statusCode(404);
        assertThat(chunks(document)).isEmpty();
        assertThat(chunks(other)).hasSize(1);

        given().auth().oauth2(editor).delete(BASES + "/" + base).then().statusCode(204);
        assertThat(chunks(other)).isEmpty();
        given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents").then().statusCode(404);
    }

    @Test
    void aJobsProgressStreamsAsServerSentEventsUntilItEnds() {
        String base = knowledgeBase("{\"size\":200,\"overlap\":0}");
        String job = upload(editor, base, "handbook.md", "text/markdown", utf8(HANDBOOK), null).then().statusCode(202).extract().path("id");
        String events = given().auth().oauth2(viewer).accept("text/event-stream").get(BASES + "/" + base + "/jobs/" + job + "/events")
                .then().statusCode(200).extract().asString();
        assertThat(events).contains("event:job").contains("\"status\":\"succeeded\"");
        assertThat(events.lastIndexOf("\"status\":\"succeeded\"")).isGreaterThan(events.lastIndexOf("\"status\":\"queued\""));
    }
}
