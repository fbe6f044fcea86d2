package io.weft.inference.knowledge;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's knowledge base: its documents' chunks are embedded with one model (fixed at creation),
 * split as {@link Chunking} says and searched as {@link Retrieval} says unless a search asks
 * otherwise.
 */
public record KnowledgeBase(UUID tenantId, UUID id, String name, String description, Embedding embedding, Chunking chunking,
                            Retrieval retrieval, int revision, String createdBy, String updatedBy, Instant createdAt,
                            Instant updatedAt) {

    /**
     * @param provider     {@code local} (in-process), {@code openAi}, {@code gemini} or {@code ollama}
     * @param credentialId the tenant's credential that calls the provider; null for {@code local}
     */
    public record Embedding(String provider, String model, int dimension, UUID credentialId) {
    }

    /**
     * @param mode       {@code recursive} (headings, paragraphs, sentences) or {@code parentChild} (small chunks are
     *                   searched, the passage of {@code parentSize} around them is returned)
     * @param size       a chunk's length at most, in characters
     * @param overlap    characters a chunk repeats of the one before it
     * @param parentSize with {@code parentChild}: the returned passage's length at most; else null
     */
    public record Chunking(String mode, int size, int overlap, Integer parentSize) {
    }

    /**
     * @param mode         {@code hybrid} (vector and full-text ranks fused), {@code vector} or {@code text}
     * @param k            how many chunks a search returns
     * @param vectorWeight the vector ranking's weight in the fusion
     * @param textWeight   the full-text ranking's weight in the fusion
     * @param minScore     the cosine similarity the best chunk must reach for an answer to be given from the documents
     */
    public record Retrieval(String mode, int k, double vectorWeight, double textWeight, double minScore) {
    }
}
