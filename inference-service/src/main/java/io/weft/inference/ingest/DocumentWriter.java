package io.weft.inference.ingest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.knowledge.KnowledgeBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The end of an ingest, in one transaction: the document's new version with all its chunks (the
 * old chunks go in the same transaction, so a search sees the old document or the new one, never a
 * mix or a part), the job marked succeeded and its upload dropped. Nothing is written when the
 * claim is no longer the job's (another replica took it over, the document was deleted meanwhile);
 * a version older than the stored one is not written and the job is superseded.
 */
@ApplicationScoped
public class DocumentWriter {
    /** Rows per INSERT: a document of thousands of chunks goes in a few statements, each within what the driver sends at once. */
    static final int ROWS_PER_INSERT = 256;

    public enum Outcome { WRITTEN, SUPERSEDED, LOST }

    /** A chunk to store: its place in the text, the passage returned for it, and its vector in pgvector's text form. */
    public record ChunkRow(int ordinal, String content, String contentHash, int start, int end, int parentStart, int parentEnd,
                           String embedding) {
    }

    /**
     * What the ingest made of the upload.
     *
     * @param chunks the new chunks; null when the text is unchanged and the stored chunks stay (only the metadata is renewed)
     */
    public record Version(UUID documentId, String text, String textHash, KnowledgeBase.Chunking chunking, int dimension,
                          int chunkCount, List<ChunkRow> chunks, int embedded, int reused) {
    }

    private final Pool pool;

    DocumentWriter(Pool pool) {
        this.pool = pool;
    }

    public Uni<Outcome> write(IngestJobStore.Claim claim, Version version) {
        IngestJob job = claim.job();
        return pool.withTransaction(connection -> connection.preparedQuery("SELECT 1 FROM ingest_jobs WHERE tenant_id = $1 AND id = $2"
                        + " AND status = 'running' AND owner = $3 AND attempts = $4 FOR UPDATE")
                .execute(Tuple.of(job.tenantId(), job.id(), claim.owner(), claim.attempt()))
                .chain(held -> held.rowCount() == 0 ? Uni.createFrom().item(Outcome.LOST) : upsertDocument(connection, job, version)
                        .chain(documentId -> documentId == null ? finish(connection, job, version, null, IngestJob.SUPERSEDED)
                                : chunks(connection, job, documentId, version)
                                        .chain(() -> finish(connection, job, version, documentId, IngestJob.SUCCEEDED)))));
    }

    /** The document's id, or null when a newer upload of its name is stored already. */
    private Uni<UUID> upsertDocument(SqlConnection connection, IngestJob job, Version version) {
        return connection.preparedQuery("""
                        INSERT INTO documents (tenant_id, knowledge_base_id, id, name, content_type, bytes, text_hash, chunking, metadata, text,
                                               chunk_count, job_id, uploaded_at, created_by, updated_by, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9::text::jsonb, $10, $11, $12, $13, $14, $14, now(), now())
                        ON CONFLICT (tenant_id, knowledge_base_id, name) DO UPDATE SET content_type = EXCLUDED.content_type,
                            bytes = EXCLUDED.bytes, text_hash = EXCLUDED.text_hash, chunking = EXCLUDED.chunking, metadata = EXCLUDED.metadata,
                            text = EXCLUDED.text, chunk_count = EXCLUDED.chunk_count, job_id = EXCLUDED.job_id,
                            uploaded_at = EXCLUDED.uploaded_at, updated_by = EXCLUDED.updated_by, updated_at = now()
                        WHERE documents.uploaded_at <= EXCLUDED.uploaded_at
                        RETURNING id""")
                .execute(Tuple.from(Arrays.asList(job.tenantId(), job.knowledgeBaseId(), version.documentId(), job.documentName(),
                        job.contentType(), job.bytes(), version.textHash(), WeftJson.jsonb(version.chunking()), WeftJson.jsonb(job.metadata()),
                        version.text(), version.chunkCount(), job.id(), IngestJobStore.at(job.createdAt()), job.createdBy())))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getUUID("id"));
    }

    private Uni<Void> chunks(SqlConnection connection, IngestJob job, UUID documentId, Version version) {
        String metadata = WeftJson.jsonb(job.metadata());
        if (version.chunks() == null) {
            return connection.preparedQuery("UPDATE chunks SET metadata = $4::text::jsonb WHERE tenant_id = $1 AND knowledge_base_id = $2"
                            + " AND document_id = $3 AND metadata <> $4::text::jsonb")
                    .execute(Tuple.of(job.tenantId(), job.knowledgeBaseId(), documentId, metadata)).replaceWithVoid();
        }
        Uni<Void> written = connection.preparedQuery("DELETE FROM chunks WHERE tenant_id = $1 AND knowledge_base_id = $2 AND document_id = $3")
                .execute(Tuple.of(job.tenantId(), job.knowledgeBaseId(), documentId)).replaceWithVoid();
        List<ChunkRow> rows = version.chunks();
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            List<ChunkRow> batch = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
            written = written.chain(() -> insert(connection, job, documentId, metadata, version.dimension(), batch));
        }
        return written;
    }

    private static Uni<Void> insert(SqlConnection connection, IngestJob job, UUID documentId, String metadata, int dimension,
                                    List<ChunkRow> batch) {
        return connection.preparedQuery("""
                        INSERT INTO chunks (tenant_id, knowledge_base_id, document_id, ordinal, content, content_hash, start_offset, end_offset,
                                            parent_start, parent_end, metadata, dimension, embedding)
                        SELECT $1, $2, $3, c.ordinal, c.content, c.content_hash, c.start_offset, c.end_offset, c.parent_start, c.parent_end,
                               $4::text::jsonb, $5, c.embedding::vector
                        FROM unnest($6::int[], $7::text[], $8::text[], $9::int[], $10::int[], $11::int[], $12::int[], $13::text[])
                             AS c(ordinal, content, content_hash, start_offset, end_offset, parent_start, parent_end, embedding)""")
                .execute(Tuple.from(Arrays.asList(job.tenantId(), job.knowledgeBaseId(), documentId, metadata, dimension,
                        batch.stream().map(ChunkRow::ordinal).toArray(Integer[]::new),
                        batch.stream().map(ChunkRow::content).toArray(String[]::new),
                        batch.stream().map(ChunkRow::contentHash).toArray(String[]::new),
                        batch.stream().map(ChunkRow::start).toArray(Integer[]::new),
                        batch.stream().map(ChunkRow::end).toArray(Integer[]::new),
                        batch.stream().map(ChunkRow::parentStart).toArray(Integer[]::new),
                        batch.stream().map(ChunkRow::parentEnd).toArray(Integer[]::new),
                        batch.stream().map(ChunkRow::embedding).toArray(String[]::new))))
                .replaceWithVoid();
    }

    private static Uni<Outcome> finish(SqlConnection connection, IngestJob job, Version version, UUID documentId, String status) {
        return connection.preparedQuery("""
                        UPDATE ingest_jobs SET status = $3, document_id = $4, chunks = $5, embedded = $6, reused = $7, owner = NULL, due_at = NULL,
                               error_message = CASE WHEN $3 = 'superseded' THEN 'a later upload of this document was ingested first' END,
                               updated_at = now(), finished_at = now()
                        WHERE tenant_id = $1 AND id = $2""")
                .execute(Tuple.from(Arrays.asList(job.tenantId(), job.id(), status, documentId, version.chunkCount(), version.embedded(),
                        version.reused())))
                .chain(() -> connection.preparedQuery("DELETE FROM ingest_uploads WHERE tenant_id = $1 AND job_id = $2")
                        .execute(Tuple.of(job.tenantId(), job.id())))
                .replaceWith(IngestJob.SUCCEEDED.equals(status) ? Outcome.WRITTEN : Outcome.SUPERSEDED);
    }
}
