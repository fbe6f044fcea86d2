package io.weft.contracts.events;

/**
 * What one node attempt's calls of one model cost: the tokens the provider counted (0 when it
 * counted none) and how many calls there were.
 *
 * @param provider e.g. {@code OpenAI}, {@code Gemini}, {@code Ollama}
 * @param model    the model that answered, as the provider names it
 */
public record ModelUsage(String provider, String model, long inputTokens, long outputTokens, int calls) {

    /** This with one more call that counted {@code input} and {@code output} tokens. */
    public ModelUsage plus(long input, long output) {
        return new ModelUsage(provider, model, inputTokens + input, outputTokens + output, calls + 1);
    }
}
