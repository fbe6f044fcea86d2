package io.weft.inference.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.inference.extraction.DocumentTypes;
import io.weft.inference.knowledge.KnowledgeBase;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A replica that claimed a job and stopped (killed, partitioned) holds it only until its lease runs
 * out: the sweep queues the job again, another replica finishes it, and the stopped one's late
 * writes change nothing — no duplicate chunks, no half-written document.
 */
@QuarkusTest
class IngestRecoveryTest {
    private static final String BASES = "/api/inference/knowledge-bases";
    private static final Duration WAIT = Duration.ofSeconds(10);

    final UUID tenant = UUID.randomUUID();
    final String editor = InternalTokens.user(tenant, "editor-1", "editor");

    @Inject
    IngestJobStore jobs;
    @Inject
    DocumentWriter writer;
    @Inject
    Pool pool;

    @Test
    void aJobWhoseReplicaStoppedIsFinishedByAnotherOnceAndTheStoppedOnesWritesAreRefused() {
        String base = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"Recovery\",\"chunking\":{\"size\":120,\"overlap\":0}}").post(BASES).then().statusCode(201).extract().path("id");
        byte[] content = ("# Shifts\n\nThe early shift starts at six.\n\nThe late shift ends at ten.\n\n# Breaks\n\n"
                + "Everyone takes thirty minutes at noon, and ten more in the afternoon when the shift is longer than eight hours.").getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        IngestJob job = new IngestJob(tenant, UUID.randomUUID(), UUID.fromString(base), "shifts.md", DocumentTypes.MARKDOWN, content.length,
                Map.of(), IngestJob.QUEUED, 0, null, 0, 0, null, null, null, "editor-1", now, now, null);
        // Queued without a request on Kafka, then claimed by a replica that stops at once: only the sweep can save it.
        jobs.create(job, content, Duration.ofHours(1)).await().atMost(WAIT);
        IngestJobStore.Claim stopped = jobs.claim(tenant, job.id(), "stopped-replica", Duration.ofSeconds(1)).await().atMost(WAIT).orElseThrow();
        assertThat(stopped.attempt()).isEqualTo(1);

        JsonPath finished = finished(base, job.id());
        assertThat(finished.getString("status")).isEqualTo("succeeded");
        assertThat(finished.getInt("attempts")).isEqualTo(2);
        int chunks = finished.getInt("progress.chunks");
        assertThat(chunks).isGreaterThan(1);
        assertThat(chunkCount(base)).isEqualTo(chunks);

        // The stopped replica wakes up and goes on: its lease is gone, so nothing it writes counts.
        assertThat(jobs.progress(stopped, 99, 99, 0, Duration.ofMinutes(1)).await().atMost(WAIT)).isFalse();
        DocumentWriter.Version late = new DocumentWriter.Version(UUID.randomUUID(), "late", Ingestion.sha256("late"),
                new KnowledgeBase.Chunking("recursive", 120, 0, null), 384, 1,
                List.of(new DocumentWriter.ChunkRow(0, "late", Ingestion.sha256("late"), 0, 4, 0, 4, io.weft.inference.embedding.Vectors.pgvector(new float[384]))), 1, 0);
        assertThat(writer.write(stopped, late).await().atMost(WAIT)).isEqualTo(DocumentWriter.Outcome.LOST);
        assertThat(jobs.fail(stopped, "x", "late").await().atMost(WAIT)).isFalse();
        assertThat(chunkCount(base)).isEqualTo(chunks);
        assertThat(given().auth().oauth2(editor).get(BASES + "/" + base + "/jobs/" + job.id()).then().statusCode(200).extract()
                .<String>path("status")).isEqualTo("succeeded");
    }

    @Test
    void aJobCommittedButNeverPublishedIsPublishedAgainByTheSweepAndIngested() {
        // As if the replica that took the upload died between its commit and its publish to Kafka.
        String base = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"Unpublished\"}").post(BASES).then().statusCode(201).extract().path("id");
        byte[] content = "Parking is free for staff on weekends.".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        IngestJob job = new IngestJob(tenant, UUID.randomUUID(), UUID.fromString(base), "parking.txt", DocumentTypes.TEXT, content.length,
                Map.of(), IngestJob.QUEUED, 0, null, 0, 0, null, null, null, "editor-1", now, now, null);
        jobs.create(job, content, Duration.ofSeconds(1)).await().atMost(WAIT);

        JsonPath finished = finished(base, job.id());
        assertThat(finished.getString("status")).isEqualTo("succeeded");
        assertThat(finished.getInt("attempts")).isEqualTo(1);
        assertThat(chunkCount(base)).isEqualTo(1);
    }

    private JsonPath finished(String base, UUID job) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath state = given().auth().oauth2(editor).get(BASES + "/" + base + "/jobs/" + job).then().statusCode(200).extract().jsonPath();
            if (state.getString("finishedAt") != null) {
                return state;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the job was not finished by another replica in 60 s");
    }

    private long chunkCount(String base) {
        return pool.preparedQuery("SELECT count(*) FROM chunks WHERE tenant_id = $1 AND knowledge_base_id = $2")
                .execute(Tuple.of(tenant, UUID.fromString(base))).await().atMost(WAIT).iterator().next().getLong(0);
    }
}
