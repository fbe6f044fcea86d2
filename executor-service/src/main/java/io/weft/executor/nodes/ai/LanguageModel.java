package io.weft.executor.nodes.ai;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.weft.executor.ai.ProviderFailures;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.TokenReservation;
import io.weft.executor.engine.TokenStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * A chat model as a root node uses it for one item: the langchain4j model its sub-node built, what a
 * failed call needs to say what went wrong without a secret, the root's run, which every answer's
 * tokens are counted to, and the item's prompt-injection guard.
 *
 * @param provider  for messages, e.g. {@code OpenAI}
 * @param modelName the model asked for, e.g. {@code gpt-4o-mini}
 * @param secrets   the credential's secret values, cut out of provider messages
 * @param root      the run of the node that calls the model
 */
public record LanguageModel(String provider, String modelName, ChatModel model, Supplier<StreamingChatModel> streaming,
                            List<String> secrets, NodeRun root, PromptGuard guard) {

    public LanguageModel(String provider, String modelName, ChatModel model, Supplier<StreamingChatModel> streaming, List<String> secrets,
                         NodeRun root) {
        this(provider, modelName, model, streaming, secrets, root, new PromptGuard(root));
    }

    /**
     * One call; a failure is a typed {@link io.weft.executor.engine.NodeFailure} (with
     * {@code Retry-After} when the provider sent one). Outside text in the request is screened for
     * prompt injection first ({@code PROMPT_INJECTION} when the workflow blocks it), the call's
     * estimate is taken from the tenant's budget ({@code QUOTA} when it does not fit), and the
     * answer's tokens are counted to the root.
     */
    public ChatResponse chat(ChatRequest request) {
        return chat(request, null);
    }

    /**
     * {@link #chat(ChatRequest)}, with the answer's text handed to {@code tokens} as the provider
     * streams it (when {@code tokens} is not null); the answer returned is the whole of it, as
     * without streaming.
     */
    public ChatResponse chat(ChatRequest request, TokenStream tokens) {
        guard.screen(request.messages());
        TokenReservation reservation = root.reserveTokens(estimatedTokens(request));
        ChatResponse response;
        try {
            response = tokens == null ? model.chat(request) : StreamedAnswer.of(streaming.get(), request, tokens);
        } catch (RuntimeException e) {
            reservation.settle(0);
            throw ProviderFailures.of(provider, e, secrets);
        }
        TokenUsage usage = response.tokenUsage();
        long input = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long output = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        reservation.settle(input + output);
        root.countTokens(provider, response.modelName() != null ? response.modelName() : modelName, input, output);
        return response;
    }

    /**
     * What a call will use at least: its prompt at about four characters a token (the usual measure for
     * English; the settlement corrects it), and the answer's limit when the request sets one.
     */
    static long estimatedTokens(ChatRequest request) {
        long characters = 0;
        for (ChatMessage message : request.messages()) {
            characters += String.valueOf(message).length();
        }
        if (request.toolSpecifications() != null) {
            characters += String.valueOf(request.toolSpecifications()).length();
        }
        Integer answerLimit = request.maxOutputTokens();
        return (characters + 3) / 4 + (answerLimit == null ? 0 : answerLimit);
    }

    @Override
    public String toString() {
        return "LanguageModel[" + provider + " " + modelName + "]";
    }
}
