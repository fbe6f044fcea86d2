package io.weft.inference.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.googleai.GoogleAiEmbeddingModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.cache.RecipeCache;
import io.weft.platform.net.OutboundAddresses;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The models a tenant's credential stands for, built with langchain4j's own client for its
 * provider: OpenAI (or any API that speaks OpenAI's), Google Gemini, Ollama — chat models for
 * answers, embedding models for knowledge bases made with a provider's model. The credential's base
 * URL is the tenant's to choose, so its host is checked against the addresses Weft does not call
 * (the machine's own, private and reserved ranges, unless allowed) before any request. langchain4j
 * never retries on its own.
 * <p>
 * Models are kept for reuse, as the executor's {@code ChatModels} keeps its own: a search of a
 * provider-embedded knowledge base needs one per query, and each holds an HTTP client with its own
 * threads. The key is a hash of everything the model is built from (the credential's resolved data
 * included), so a credential that changes gets a new model on its next use.
 */
@ApplicationScoped
public class ProviderModels {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String SETTING = "weft.inference.http.allowed-networks";

    /** A provider's chat model, the provider's name for messages, and the model asked for. */
    public record Model(String provider, String name, ChatModel chat) {
    }

    /** A provider's embedding model, with the provider's name for messages. */
    public record Embedder(String provider, String name, EmbeddingModel embeddings) {
    }

    static final int MAX_CACHED = 1_000;

    private final OutboundAddresses addresses;
    private final RecipeCache<Object> cache = new RecipeCache<>(MAX_CACHED);

    @Inject
    ProviderModels(@ConfigProperty(name = SETTING) Optional<List<String>> allowedNetworks) {
        this(new OutboundAddresses(allowedNetworks.orElse(List.of())));
    }

    ProviderModels(OutboundAddresses addresses) {
        this.addresses = addresses;
    }

    /** The chat model of {@code credential}, named {@code model} or the provider's usual one; a credential of another type is a 400. */
    public Model model(ProviderCredentials.Resolved credential, String model, Double temperature) {
        return cached(Arrays.asList("chat", credential.type(), credential.data(), model, temperature),
                () -> buildModel(credential, model, temperature));
    }

    private Model buildModel(ProviderCredentials.Resolved credential, String model, Double temperature) {
        JsonNode data = credential.data();
        return switch (credential.type()) {
            case "openAiApi" -> {
                String name = model != null ? model : "gpt-4o-mini";
                yield new Model("OpenAI", name, OpenAiChatModel.builder().httpClientBuilder(http())
                        .baseUrl(checked(text(data, "baseUrl"), "https://api.openai.com/v1")).apiKey(text(data, "apiKey"))
                        .organizationId(text(data, "organizationId")).modelName(name).temperature(temperature)
                        .timeout(TIMEOUT).maxRetries(0).build());
            }
            case "googleGeminiApi" -> {
                String name = model != null ? model : "gemini-2.0-flash";
                yield new Model("Google Gemini", name, GoogleAiGeminiChatModel.builder().httpClientBuilder(http())
                        .baseUrl(geminiApi(checked(text(data, "baseUrl"), "https://generativelanguage.googleapis.com")))
                        .apiKey(text(data, "apiKey")).modelName(name).temperature(temperature).timeout(TIMEOUT).maxRetries(0).build());
            }
            case "ollamaApi" -> {
                String name = model != null ? model : "llama3.2";
                yield new Model("Ollama", name, OllamaChatModel.builder().httpClientBuilder(http())
                        .baseUrl(checked(text(data, "baseUrl"), "http://127.0.0.1:11434")).customHeaders(ollamaHeaders(data))
                        .modelName(name).temperature(temperature).timeout(TIMEOUT).maxRetries(0).build());
            }
            default -> throw notAModelCredential(credential.type());
        };
    }

    /**
     * The embedding model {@code model} of {@code credential}, asked for vectors of {@code dimension}
     * where the provider can shorten them (OpenAI's text-embedding-3, Gemini); the caller checks what
     * comes back.
     */
    public Embedder embeddings(ProviderCredentials.Resolved credential, String model, int dimension) {
        return cached(Arrays.asList("embeddings", credential.type(), credential.data(), model, dimension),
                () -> buildEmbeddings(credential, model, dimension));
    }

    private Embedder buildEmbeddings(ProviderCredentials.Resolved credential, String model, int dimension) {
        JsonNode data = credential.data();
        return switch (credential.type()) {
            case "openAiApi" -> new Embedder("OpenAI", model, OpenAiEmbeddingModel.builder().httpClientBuilder(http())
                    .baseUrl(checked(text(data, "baseUrl"), "https://api.openai.com/v1")).apiKey(text(data, "apiKey"))
                    .organizationId(text(data, "organizationId")).modelName(model)
                    .dimensions(model.startsWith("text-embedding-3") ? dimension : null)
                    .timeout(TIMEOUT).maxRetries(0).build());
            case "googleGeminiApi" -> new Embedder("Google Gemini", model, GoogleAiEmbeddingModel.builder().httpClientBuilder(http())
                    .baseUrl(geminiApi(checked(text(data, "baseUrl"), "https://generativelanguage.googleapis.com")))
                    .apiKey(text(data, "apiKey")).modelName(model).outputDimensionality(dimension).timeout(TIMEOUT).maxRetries(0).build());
            case "ollamaApi" -> new Embedder("Ollama", model, OllamaEmbeddingModel.builder().httpClientBuilder(http())
                    .baseUrl(checked(text(data, "baseUrl"), "http://127.0.0.1:11434")).customHeaders(ollamaHeaders(data))
                    .modelName(model).timeout(TIMEOUT).maxRetries(0).build());
            default -> throw notAModelCredential(credential.type());
        };
    }

    @SuppressWarnings("unchecked")
    private <M> M cached(List<Object> recipe, Supplier<M> build) {
        return (M) cache.get(recipe, build);
    }

    private static ProblemException notAModelCredential(String type) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, "credentialId: a " + type + " credential is not a model provider's;"
                + " use an openAiApi, googleGeminiApi or ollamaApi credential");
    }

    private static Map<String, String> ollamaHeaders(JsonNode data) {
        String apiKey = text(data, "apiKey");
        return apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
    }

    private static HttpClientBuilder http() {
        return JdkHttpClient.builder().httpClientBuilder(java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)).connectTimeout(Duration.ofSeconds(10)).readTimeout(TIMEOUT);
    }

    private String checked(String baseUrl, String fallback) {
        String url = baseUrl == null || baseUrl.isBlank() ? fallback : baseUrl;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "credentialId: the credential's base URL is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "credentialId: the credential's base URL must be an http or https URL");
        }
        try {
            addresses.check(uri.getHost(), SETTING);
        } catch (OutboundAddresses.Refused refused) {
            if (refused.unresolvable()) {
                throw new ProblemException(ProblemType.BAD_GATEWAY, "the model provider at " + uri.getHost() + " cannot be reached");
            }
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "credentialId: the credential's base URL points where Weft does not"
                    + " call: " + refused.getMessage());
        }
        return url;
    }

    /** Gemini's base URL with its API version when the credential gives only the host. */
    static String geminiApi(String baseUrl) {
        String base = baseUrl.replaceAll("/+$", "");
        String path = URI.create(base).getPath();
        return path == null || path.isEmpty() ? base + "/v1beta" : base;
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
