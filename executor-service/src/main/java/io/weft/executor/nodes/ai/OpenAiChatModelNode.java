package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.weft.executor.ai.ChatModels;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.time.Duration;

/** OpenAI's chat completions, or any server that speaks them (the credential's {@code baseUrl}). */
@Singleton
public class OpenAiChatModelNode extends ChatModelNode {
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    @Inject
    public OpenAiChatModelNode(ChatModels models) {
        super("ai.chatModel.openAi", "OpenAI", models);
    }

    @Override
    protected ChatModel build(Parameters parameters, JsonNode credential, HttpClientBuilder http) {
        String baseUrl = text(credential, "baseUrl");
        return OpenAiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl == null ? DEFAULT_BASE_URL : baseUrl)
                .apiKey(text(credential, "apiKey"))
                .organizationId(text(credential, "organizationId"))
                .modelName(parameters.model())
                .temperature(parameters.temperature())
                .maxTokens(parameters.maxTokens())
                .timeout(Duration.ofMillis(parameters.timeoutMs()))
                .maxRetries(0)
                .build();
    }

    @Override
    protected StreamingChatModel buildStreaming(Parameters parameters, JsonNode credential, HttpClientBuilder http) {
        String baseUrl = text(credential, "baseUrl");
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl == null ? DEFAULT_BASE_URL : baseUrl)
                .apiKey(text(credential, "apiKey"))
                .organizationId(text(credential, "organizationId"))
                .modelName(parameters.model())
                .temperature(parameters.temperature())
                .maxTokens(parameters.maxTokens())
                .timeout(Duration.ofMillis(parameters.timeoutMs()))
                .build();
    }
}
