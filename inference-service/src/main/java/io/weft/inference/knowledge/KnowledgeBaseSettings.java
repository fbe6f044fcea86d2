package io.weft.inference.knowledge;

import io.weft.inference.knowledge.KnowledgeBase.Chunking;
import io.weft.inference.knowledge.KnowledgeBase.Retrieval;
import io.weft.inference.knowledge.KnowledgeBaseViews.ChunkingRequest;
import io.weft.inference.knowledge.KnowledgeBaseViews.RetrievalRequest;
import io.weft.platform.api.Paging;
import java.util.Set;

/** Chunking and retrieval settings: what a request asks for over what is set (or the defaults), checked. */
final class KnowledgeBaseSettings {
    static final Chunking DEFAULT_CHUNKING = new Chunking("recursive", 1_000, 200, null);
    static final Retrieval DEFAULT_RETRIEVAL = new Retrieval("hybrid", 8, 1.0, 1.0, 0.3);
    static final int MIN_CHUNK = 100;
    static final int MAX_CHUNK = 8_000;
    static final int MAX_PARENT = 32_000;
    static final int MAX_K = 100;
    static final double MAX_WEIGHT = 10;

    private KnowledgeBaseSettings() {
    }

    static Chunking chunking(ChunkingRequest asked, Chunking current) {
        if (asked == null) {
            return current;
        }
        String mode = oneOf("chunking.mode", asked.mode() == null ? current.mode() : asked.mode(), Set.of("recursive", "parentChild"));
        int size = between("chunking.size", asked.size() == null ? current.size() : asked.size(), MIN_CHUNK, MAX_CHUNK);
        int overlap = between("chunking.overlap", asked.overlap() == null ? Math.min(current.overlap(), size / 2) : asked.overlap(), 0, size / 2);
        Integer parentSize = null;
        if ("parentChild".equals(mode)) {
            int parent = asked.parentSize() != null ? asked.parentSize()
                    : current.parentSize() != null && current.parentSize() > size ? current.parentSize() : Math.min(MAX_PARENT, 4 * size);
            if (parent <= size || parent > MAX_PARENT) {
                throw Paging.invalid("chunking.parentSize", "must be more than the chunk size (" + size + ") and at most " + MAX_PARENT);
            }
            parentSize = parent;
        } else if (asked.parentSize() != null) {
            throw Paging.invalid("chunking.parentSize", "is taken only with the parentChild mode");
        }
        return new Chunking(mode, size, overlap, parentSize);
    }

    static Retrieval retrieval(RetrievalRequest asked, Retrieval current) {
        if (asked == null) {
            return current;
        }
        String mode = oneOf("retrieval.mode", asked.mode() == null ? current.mode() : asked.mode(), Set.of("hybrid", "vector", "text"));
        int k = between("retrieval.k", asked.k() == null ? current.k() : asked.k(), 1, MAX_K);
        double vectorWeight = weight("retrieval.vectorWeight", asked.vectorWeight() == null ? current.vectorWeight() : asked.vectorWeight());
        double textWeight = weight("retrieval.textWeight", asked.textWeight() == null ? current.textWeight() : asked.textWeight());
        if ("hybrid".equals(mode) && vectorWeight == 0 && textWeight == 0) {
            throw Paging.invalid("retrieval", "a hybrid search needs a weight above 0 on the vector or the text ranking");
        }
        double minScore = asked.minScore() == null ? current.minScore() : asked.minScore();
        if (!(minScore >= 0 && minScore <= 1)) {
            throw Paging.invalid("retrieval.minScore", "must be between 0 and 1");
        }
        return new Retrieval(mode, k, vectorWeight, textWeight, minScore);
    }

    private static String oneOf(String parameter, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw Paging.invalid(parameter, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    private static int between(String parameter, int value, int least, int most) {
        if (value < least || value > most) {
            throw Paging.invalid(parameter, "must be between " + least + " and " + most);
        }
        return value;
    }

    private static double weight(String parameter, double value) {
        if (!(value >= 0 && value <= MAX_WEIGHT)) {
            throw Paging.invalid(parameter, "must be between 0 and " + (int) MAX_WEIGHT);
        }
        return value;
    }
}
