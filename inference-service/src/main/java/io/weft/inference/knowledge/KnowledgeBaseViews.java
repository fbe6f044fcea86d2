package io.weft.inference.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** What the knowledge-base API takes and answers. */
public final class KnowledgeBaseViews {
    private KnowledgeBaseViews() {
    }

    /** A new knowledge base; everything but the name has a default (the local embedding model, recursive chunks, hybrid search). */
    public record CreateRequest(String name, String description, EmbeddingRequest embedding, ChunkingRequest chunking,
                                RetrievalRequest retrieval) {
    }

    /**
     * A change of what may change: the name, the description ({@code ""} clears it), chunking (for
     * documents ingested from then on) and the retrieval defaults. The embedding model cannot change:
     * {@code embedding} is refused with 409.
     */
    public record UpdateRequest(String name, String description, JsonNode embedding, ChunkingRequest chunking,
                                RetrievalRequest retrieval) {
    }

    /** @param credentialId the tenant's credential for the provider; none for {@code local} */
    public record EmbeddingRequest(String provider, String model, Integer dimension, String credentialId) {
    }

    public record ChunkingRequest(String mode, Integer size, Integer overlap, Integer parentSize) {
    }

    public record RetrievalRequest(String mode, Integer k, Double vectorWeight, Double textWeight, Double minScore) {
    }

    public record EmbeddingView(String provider, String model, int dimension, String credentialId) {
    }

    public record KnowledgeBaseView(String id, String name, String description, EmbeddingView embedding, KnowledgeBase.Chunking chunking,
                                    KnowledgeBase.Retrieval retrieval, int revision, String createdBy, String updatedBy,
                                    Instant createdAt, Instant updatedAt) {

        static KnowledgeBaseView of(KnowledgeBase base) {
            KnowledgeBase.Embedding embedding = base.embedding();
            return new KnowledgeBaseView(base.id().toString(), base.name(), base.description(), new EmbeddingView(embedding.provider(),
                    embedding.model(), embedding.dimension(), embedding.credentialId() == null ? null : embedding.credentialId().toString()),
                    base.chunking(), base.retrieval(), base.revision(), base.createdBy(), base.updatedBy(), base.createdAt(),
                    base.updatedAt());
        }
    }

    public record Page(List<KnowledgeBaseView> items, String nextCursor) {
    }
}
