package io.weft.inference.answers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What the ask API takes and answers. */
public final class AskViews {
    private AskViews() {
    }

    /**
     * @param question       what to answer, from the knowledge base's documents only
     * @param credentialId   the tenant's {@code openAiApi}, {@code googleGeminiApi} or {@code ollamaApi} credential
     * @param model          the provider's model (default: gpt-4o-mini, gemini-2.0-flash, llama3.2)
     * @param temperature    the model's temperature (the provider's default when not given)
     * @param k              how many chunks to search for (default 4)
     * @param mode           {@code hybrid}, {@code vector} or {@code text} (default: the knowledge base's)
     * @param filter         metadata the chunks' documents must have, as in search
     * @param minSimilarity  how close to the question a chunk must be to become a source (default 0.3)
     * @param instructions   more instructions for the model, after the rules of a grounded answer
     * @param notFoundAnswer the answer when the documents do not hold one
     */
    public record AskRequest(String question, String credentialId, String model, Double temperature, Integer k, String mode, JsonNode filter,
                             Double minSimilarity, String instructions, String notFoundAnswer) {
    }

    /** The tokens the provider counted for the answer (null when it counted none). */
    public record Usage(Integer inputTokens, Integer outputTokens, Integer totalTokens) {
    }

    /**
     * @param answer       the model's answer, or {@code notFoundAnswer} when {@code found} is false
     * @param found        false when no chunk was close enough (no model was asked) or the model found no answer in them
     * @param citations    the sources the answer cites, in the order first cited: {source, documentId, documentName, chunk, start,
     *                     end, score, similarity, content}
     * @param sourcesGiven how many chunks the model was given
     * @param madeUp       numbers the answer cites that no source has (it should be empty)
     */
    public record AskAnswer(String question, String answer, boolean found, List<JsonNode> citations, int sourcesGiven, List<Integer> madeUp,
                            String provider, String model, Usage usage, long durationMs) {
    }
}
