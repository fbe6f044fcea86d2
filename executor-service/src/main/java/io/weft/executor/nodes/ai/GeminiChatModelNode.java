package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import io.weft.executor.ai.ChatModels;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;

/** Google's Gemini API ({@code generateContent}). */
@Singleton
public class GeminiChatModelNode extends ChatModelNode {
    static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    /** The API version langchain4j's client speaks, added to a credential's base URL that names none. */
    static final String API_VERSION = "/v1beta";

    @Inject
    public GeminiChatModelNode(ChatModels models) {
        super("ai.chatModel.gemini", "Gemini", models);
    }

    @Override
    protected ChatModel build(Parameters parameters, JsonNode credential, HttpClientBuilder http) {
        return GoogleAiGeminiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(apiUrl(text(credential, "baseUrl")))
                .apiKey(text(credential, "apiKey"))
                .modelName(parameters.model())
                .temperature(parameters.temperature())
                .maxOutputTokens(parameters.maxTokens())
                .timeout(Duration.ofMillis(parameters.timeoutMs()))
                .maxRetries(0)
                .build();
    }

    @Override
    protected StreamingChatModel buildStreaming(Parameters parameters, JsonNode credential, HttpClientBuilder http) {
        return GoogleAiGeminiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(apiUrl(text(credential, "baseUrl")))
                .apiKey(text(credential, "apiKey"))
                .modelName(parameters.model())
                .temperature(parameters.temperature())
                .maxOutputTokens(parameters.maxTokens())
                .timeout(Duration.ofMillis(parameters.timeoutMs()))
                .build();
    }

    static String apiUrl(String baseUrl) {
        String base = baseUrl == null ? DEFAULT_BASE_URL : baseUrl.replaceAll("/+$", "");
        String path = URI.create(base).getPath();
        return path == null || path.isEmpty() ? base + API_VERSION : base;
    }
}
