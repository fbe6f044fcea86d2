package io.weft.inference.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The default embedding model, in-process: all-MiniLM-L6-v2, quantised, run by ONNX Runtime from
 * the model inside langchain4j's jar, so that a knowledge base embeds with no provider and no
 * network. Loaded on first use (about a second, ~25 MB); thread-safe. Vectors are unit length, so a
 * dot product is their cosine similarity. Blocking: callers run it off the event loop.
 */
@ApplicationScoped
public class LocalEmbeddings {
    public static final String MODEL = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;

    private volatile EmbeddingModel model;

    /** One vector per text, in order; a batch is spread over the machine's cores. */
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Embedding> embeddings = model().embedAll(texts.stream().map(TextSegment::from).toList()).content();
        return embeddings.stream().map(Embedding::vector).toList();
    }

    private EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                loaded = model;
                if (loaded == null) {
                    loaded = new AllMiniLmL6V2QuantizedEmbeddingModel();
                    model = loaded;
                }
            }
        }
        return loaded;
    }
}
