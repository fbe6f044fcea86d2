package io.weft.inference.documents;

import io.weft.inference.knowledge.KnowledgeBase;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A document of a knowledge base, known by its name there: uploading the name again replaces it.
 *
 * @param textHash   SHA-256 of the extracted text: an upload of the same text, split the same way, embeds nothing
 * @param chunking   how its text was split
 * @param jobId      the ingest that wrote this version
 * @param uploadedAt when this version was uploaded: a slower ingest of an older upload never overwrites it
 */
public record Document(UUID tenantId, UUID knowledgeBaseId, UUID id, String name, String contentType, long bytes, String textHash,
                       KnowledgeBase.Chunking chunking, Map<String, Object> metadata, int chunkCount, UUID jobId, Instant uploadedAt,
                       String createdBy, String updatedBy, Instant createdAt, Instant updatedAt) {
}
