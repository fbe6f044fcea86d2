package io.weft.inference.documents;

import io.weft.inference.ingest.IngestJob;
import io.weft.inference.knowledge.KnowledgeBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the document and ingest-job API answers. */
public final class DocumentViews {
    private DocumentViews() {
    }

    public record DocumentView(UUID id, UUID knowledgeBaseId, String name, String contentType, long bytes, Map<String, Object> metadata,
                               int chunkCount, KnowledgeBase.Chunking chunking, UUID jobId, Instant uploadedAt, String createdBy,
                               String updatedBy, Instant createdAt, Instant updatedAt) {
        public static DocumentView of(Document document) {
            return new DocumentView(document.id(), document.knowledgeBaseId(), document.name(), document.contentType(), document.bytes(),
                    document.metadata(), document.chunkCount(), document.chunking(), document.jobId(), document.uploadedAt(),
                    document.createdBy(), document.updatedBy(), document.createdAt(), document.updatedAt());
        }
    }

    public record DocumentPage(List<DocumentView> items, String nextCursor) {
    }

    /**
     * @param chunks   the document's chunks, once split (null before)
     * @param embedded chunks embedded so far
     * @param reused   chunks whose embedding the knowledge base had already
     */
    public record Progress(Integer chunks, int embedded, int reused) {
    }

    /** Why a job failed ({@code code} set), or what went wrong in an attempt that is retried (no code yet). */
    public record JobError(String code, String message) {
    }

    public record JobView(UUID id, UUID knowledgeBaseId, String documentName, String contentType, long bytes, Map<String, Object> metadata,
                          String status, int attempts, Progress progress, UUID documentId, JobError error, String createdBy,
                          Instant createdAt, Instant updatedAt, Instant finishedAt) {
        public static JobView of(IngestJob job) {
            JobError error = job.errorCode() == null && job.errorMessage() == null ? null : new JobError(job.errorCode(), job.errorMessage());
            return new JobView(job.id(), job.knowledgeBaseId(), job.documentName(), job.contentType(), job.bytes(), job.metadata(), job.status(),
                    job.attempts(), new Progress(job.chunks(), job.embedded(), job.reused()), job.documentId(), error, job.createdBy(),
                    job.createdAt(), job.updatedAt(), job.finishedAt());
        }
    }
}
