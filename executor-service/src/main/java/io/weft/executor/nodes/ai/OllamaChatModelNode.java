package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.weft.executor.ai.ChatModels;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;

/** A model on an Ollama server ({@code /api/chat}); the credential names the server, and its key when it needs one. */
@Singleton
public class OllamaChatModelNode extends ChatModelNode {
    static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";

    @Inject
    public OllamaChatModelNode(ChatModels models) {
        super("ai.chatModel.ollama", "Ollama", models);
    }

    @Override
    protected ChatModel build(Parameters parameters, JsonNode credential, HttpClientBuilder http) {
        String apiKey = text(credential, "apiKey");
        String baseUrl = text(credential, "baseUrl");
        return OllamaChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl == null ? DEFAULT_BASE_URL : baseUrl)
                .customHeaders(apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey))
                .modelName(parameters.model())
                .temperature(parameters.temperature())
                .numPredict(parameters.maxTokens())
                .timeout(Duration.ofMillis(parameters.timeoutMs()))
                .maxRetries(0)
                .build();
    }

    @Override
    protected StreamingChatModel buildStreaming(Parameters parameters, JsonNode credential, HttpClientBuilder http) {
        String apiKey = text(credential, "apiKey");
        String baseUrl = text(credential, "baseUrl");
        return OllamaStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl == null ? DEFAULT_BASE_URL : baseUrl)
                .customHeaders(apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey))
                .modelName(parameters.model())
                .temperature(parameters.temperature())
                .numPredict(parameters.maxTokens())
                .timeout(Duration.ofMillis(parameters.timeoutMs()))
                .build();
    }
}
