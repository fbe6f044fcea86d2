package io.weft.executor.nodes.ai;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.weft.executor.ai.ProviderFailures;
import io.weft.executor.engine.NodeRun;
import java.util.List;

/**
 * A chat model as a root node uses it: the langchain4j model its sub-node built, what a failed
 * call needs to say what went wrong without a secret, and the root's run, which every answer's
 * tokens are counted to.
 *
 * @param provider  for messages, e.g. {@code OpenAI}
 * @param modelName the model asked for, e.g. {@code gpt-4o-mini}
 * @param secrets   the credential's secret values, cut out of provider messages
 * @param root      the run of the node that calls the model
 */
public record LanguageModel(String provider, String modelName, ChatModel model, List<String> secrets, NodeRun root) {

    /**
     * One call; a failure is a typed {@link io.weft.executor.engine.NodeFailure} (with
     * {@code Retry-After} when the provider sent one). An answer's tokens are counted to the root.
     */
    public ChatResponse chat(ChatRequest request) {
        ChatResponse response;
        try {
            response = model.chat(request);
        } catch (RuntimeException e) {
            throw ProviderFailures.of(provider, e, secrets);
        }
        TokenUsage usage = response.tokenUsage();
        root.countTokens(provider, response.modelName() != null ? response.modelName() : modelName,
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
        return response;
    }

    @Override
    public String toString() {
        return "LanguageModel[" + provider + " " + modelName + "]";
    }
}
