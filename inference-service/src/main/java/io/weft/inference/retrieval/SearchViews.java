package io.weft.inference.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the search API takes and answers. */
public final class SearchViews {
    private SearchViews() {
    }

    /**
     * @param query        the question or words to look for
     * @param k            how many chunks (default: the knowledge base's)
     * @param mode         {@code hybrid}, {@code vector} or {@code text} (default: the knowledge base's)
     * @param filter       metadata the chunks' documents must have: {@code {"team":"hr","year":[2025,2026]}}
     * @param vectorWeight the vector ranking's weight in a hybrid search (default: the knowledge base's)
     * @param textWeight   the full-text ranking's weight in a hybrid search (default: the knowledge base's)
     */
    public record SearchRequest(String query, Integer k, String mode, JsonNode filter, Double vectorWeight, Double textWeight) {
    }

    /**
     * A chunk found.
     *
     * @param chunk      the chunk's place in its document (0, 1, …)
     * @param start      where the chunk begins in the document's text
     * @param end        where it ends (exclusive)
     * @param passage    with parent-child chunking, the passage around the chunk ({@code parentStart}–{@code parentEnd}); else null
     * @param score      its rank score: fused (hybrid), cosine similarity (vector) or text rank (text)
     * @param similarity the cosine similarity of chunk and query (null in a text search)
     */
    public record Hit(UUID documentId, String documentName, int chunk, String content, int start, int end, String passage,
                      Integer parentStart, Integer parentEnd, double score, Double similarity, Map<String, Object> metadata) {
    }

    public record SearchResult(String query, String mode, int k, List<Hit> items) {
    }
}
