package io.weft.executor.nodes.ai;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.weft.executor.ai.ProviderFailures;
import java.util.List;

/**
 * A chat model as a root node uses it: the langchain4j model its sub-node built, and what a failed
 * call needs to say what went wrong without a secret.
 *
 * @param provider  for messages, e.g. {@code OpenAI}
 * @param modelName the model asked for, e.g. {@code gpt-4o-mini}
 * @param secrets   the credential's secret values, cut out of provider messages
 */
public record LanguageModel(String provider, String modelName, ChatModel model, List<String> secrets) {

    /** One call; a failure is a typed {@link io.weft.executor.engine.NodeFailure} (with {@code Retry-After} when the provider sent one). */
    public ChatResponse chat(ChatRequest request) {
        try {
            return model.chat(request);
        } catch (RuntimeException e) {
            throw ProviderFailures.of(provider, e, secrets);
        }
    }

    @Override
    public String toString() {
        return "LanguageModel[" + provider + " " + modelName + "]";
    }
}
