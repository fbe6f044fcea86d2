package io.weft.inference.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import io.weft.contracts.problems.ProblemType;
import io.weft.inference.knowledge.KnowledgeBase;
import io.weft.inference.providers.ProviderCredentials;
import io.weft.inference.providers.ProviderFailures;
import io.weft.inference.providers.ProviderModels;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What embeds a knowledge base's texts — its chunks at ingest, a question at search: the
 * in-process model, or the provider's model the knowledge base was made with, called with the
 * tenant's credential (resolved once per ingest job or search, its purpose audited by
 * credentials-service). Every vector is checked against the knowledge base's dimension: vectors of
 * another model would be meaningless next to the stored ones.
 */
@ApplicationScoped
public class Embedders {
    private static final Duration CREDENTIAL_TIMEOUT = Duration.ofSeconds(15);

    /** Embeds texts, one vector per text, in order. Blocks: call it off the event loop. */
    public interface TextEmbedder {
        List<float[]> embed(List<String> texts);
    }

    private final LocalEmbeddings local;
    private final ProviderCredentials credentials;
    private final ProviderModels models;

    Embedders(LocalEmbeddings local, ProviderCredentials credentials, ProviderModels models) {
        this.local = local;
        this.credentials = credentials;
        this.models = models;
    }

    /**
     * The embedder of {@code base}'s model. A provider's failure, or a model that answers vectors of
     * another dimension, is a {@link ProblemException}: {@link ProviderFailures#permanent} tells
     * which ones the tenant must fix (a key, a credential, a model) rather than try again.
     */
    public TextEmbedder of(KnowledgeBase base, String purpose) {
        KnowledgeBase.Embedding embedding = base.embedding();
        if ("local".equals(embedding.provider())) {
            return local::embed;
        }
        ProviderCredentials.Resolved credential = credentials.resolve(base.tenantId(), embedding.credentialId(), purpose)
                .await().atMost(CREDENTIAL_TIMEOUT);
        ProviderModels.Embedder model = models.embeddings(credential, embedding.model(), embedding.dimension());
        return texts -> embed(model, texts, embedding.dimension());
    }

    private static List<float[]> embed(ProviderModels.Embedder model, List<String> texts, int dimension) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Embedding> answered;
        try {
            answered = model.embeddings().embedAll(texts.stream().map(TextSegment::from).toList()).content();
        } catch (RuntimeException e) {
            throw ProviderFailures.of(model.provider(), model.name(), e);
        }
        if (answered == null || answered.size() != texts.size()) {
            throw new ProblemException(ProblemType.BAD_GATEWAY, model.provider() + " answered " + (answered == null ? 0 : answered.size())
                    + " vectors for " + texts.size() + " texts");
        }
        List<float[]> vectors = new ArrayList<>(answered.size());
        for (Embedding vector : answered) {
            if (vector.dimension() != dimension) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "embedding.model: " + model.provider() + "'s " + model.name()
                        + " answered vectors of " + vector.dimension() + " dimensions; the knowledge base was made for " + dimension);
            }
            vectors.add(vector.vector());
        }
        return vectors;
    }
}
