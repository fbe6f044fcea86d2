package io.weft.inference.knowledge;

import java.util.Set;

/**
 * Chunks of every dimension share one {@code vector} column; each dimension has its own partial
 * HNSW index (cosine) over the column cast to that dimension, and a search must use the same cast to
 * be served by it. Above 2,000 dimensions pgvector indexes half precision only. The dimensions of
 * the models Weft knows are indexed by the migrations; another one when a knowledge base of it is
 * created.
 */
public final class VectorIndexes {
    static final Set<Integer> MIGRATED = Set.of(384, 768, 1024, 1536, 3072);
    static final int MAX_FULL_PRECISION = 2_000;

    private VectorIndexes() {
    }

    /** The type the column is cast to for this dimension, in the index and in every search. */
    public static String cast(int dimension) {
        return (dimension > MAX_FULL_PRECISION ? "halfvec(" : "vector(") + dimension + ")";
    }

    /** The statement that creates this dimension's index; null when the migrations made it. */
    static String createStatement(int dimension) {
        if (MIGRATED.contains(dimension)) {
            return null;
        }
        String operators = dimension > MAX_FULL_PRECISION ? "halfvec_cosine_ops" : "vector_cosine_ops";
        return "CREATE INDEX IF NOT EXISTS chunks_embedding_" + dimension + " ON chunks USING hnsw ((embedding::" + cast(dimension) + ") "
                + operators + ") WHERE dimension = " + dimension;
    }
}
