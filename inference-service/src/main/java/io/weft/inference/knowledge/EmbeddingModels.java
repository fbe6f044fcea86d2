package io.weft.inference.knowledge;

import io.weft.platform.api.Paging;
import java.util.Map;

/**
 * The embedding models a knowledge base may be made with, by provider, and how many dimensions
 * their vectors have. The model is fixed when the knowledge base is created: every chunk's vector
 * must come from the same model to be comparable. {@code local} runs in-process and needs no
 * credential, so that a fresh installation works offline; the others use one of the tenant's
 * credentials.
 */
final class EmbeddingModels {
    static final String LOCAL = "local";
    static final String DEFAULT_LOCAL_MODEL = "all-minilm-l6-v2";
    /** pgvector indexes half-precision vectors (HNSW) up to 4,000 dimensions. */
    static final int MAX_DIMENSION = 4_000;

    private static final Map<String, Map<String, Integer>> KNOWN = Map.of(
            LOCAL, Map.of(DEFAULT_LOCAL_MODEL, 384),
            "openAi", Map.of("text-embedding-3-small", 1536, "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536),
            "gemini", Map.of("text-embedding-004", 768, "gemini-embedding-001", 3072),
            "ollama", Map.of("nomic-embed-text", 768, "mxbai-embed-large", 1024, "all-minilm", 384));
    /** The credential type each provider's models are called with. */
    private static final Map<String, String> CREDENTIAL_TYPES = Map.of("openAi", "openAiApi", "gemini", "googleGeminiApi",
            "ollama", "ollamaApi");

    private EmbeddingModels() {
    }

    /**
     * The embedding settings a request asks for, checked and completed: the local model when none is
     * asked for; a known model's dimension; an unknown model of a provider that serves any model
     * (OpenAI-compatible servers, Ollama) only with its {@code dimension}.
     */
    static KnowledgeBase.Embedding resolve(KnowledgeBaseViews.EmbeddingRequest asked) {
        if (asked == null || asked.provider() == null) {
            if (asked != null && (asked.model() != null || asked.credentialId() != null || asked.dimension() != null)) {
                throw Paging.invalid("embedding.provider", "must be one of " + String.join(", ", KNOWN.keySet().stream().sorted().toList()));
            }
            return new KnowledgeBase.Embedding(LOCAL, DEFAULT_LOCAL_MODEL, 384, null);
        }
        Map<String, Integer> models = KNOWN.get(asked.provider());
        if (models == null) {
            throw Paging.invalid("embedding.provider", "must be one of " + String.join(", ", KNOWN.keySet().stream().sorted().toList()));
        }
        String model = asked.model() == null ? null : Paging.bounded("embedding.model", asked.model().strip(), 200);
        if (model == null || model.isEmpty()) {
            if (!LOCAL.equals(asked.provider())) {
                throw Paging.invalid("embedding.model", "must name the " + asked.provider() + " model, e.g. "
                        + models.keySet().stream().sorted().findFirst().orElseThrow());
            }
            model = DEFAULT_LOCAL_MODEL;
        }
        Integer known = models.get(model);
        if (LOCAL.equals(asked.provider())) {
            if (known == null) {
                throw Paging.invalid("embedding.model", "must be " + DEFAULT_LOCAL_MODEL + ", the model that runs in-process");
            }
            if (asked.credentialId() != null) {
                throw Paging.invalid("embedding.credentialId", "is not taken by the local model");
            }
        }
        int dimension;
        if (asked.dimension() != null) {
            if (known != null && !known.equals(asked.dimension())) {
                throw Paging.invalid("embedding.dimension", "is " + known + " for " + model);
            }
            if (asked.dimension() < 1 || asked.dimension() > MAX_DIMENSION) {
                throw Paging.invalid("embedding.dimension", "must be between 1 and " + MAX_DIMENSION);
            }
            dimension = asked.dimension();
        } else if (known != null) {
            dimension = known;
        } else {
            throw Paging.invalid("embedding.dimension", "must be given for a model Weft does not know (" + model + ")");
        }
        java.util.UUID credential = null;
        if (!LOCAL.equals(asked.provider())) {
            if (asked.credentialId() == null) {
                throw Paging.invalid("embedding.credentialId", "must name the " + CREDENTIAL_TYPES.get(asked.provider())
                        + " credential that calls " + asked.provider());
            }
            credential = KnowledgeBaseIds.tryParse(asked.credentialId()).orElseThrow(() -> Paging.invalid("embedding.credentialId",
                    "must be a credential's id"));
        }
        return new KnowledgeBase.Embedding(asked.provider(), model, dimension, credential);
    }
}
