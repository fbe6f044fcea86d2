package io.weft.inference.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The ingest of one upload into a knowledge base: {@code queued}, {@code running} (on the replica
 * that claimed it), then {@code succeeded}, {@code failed} (with a code and a message) or
 * {@code superseded} (a later upload of the same name, or the document's deletion, came first).
 *
 * @param chunks   how many chunks the document makes, once it is split; null before
 * @param embedded chunks embedded so far
 * @param reused   chunks whose embedding was already in the knowledge base (same text), so not embedded again
 */
public record IngestJob(UUID tenantId, UUID id, UUID knowledgeBaseId, String documentName, String contentType, long bytes,
                        Map<String, Object> metadata, String status, int attempts, Integer chunks, int embedded, int reused,
                        UUID documentId, String errorCode, String errorMessage, String createdBy, Instant createdAt,
                        Instant updatedAt, Instant finishedAt) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String SUPERSEDED = "superseded";

    public boolean finished() {
        return finishedAt != null;
    }
}
