package io.weft.executor.ai;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.weft.platform.cache.RecipeCache;
import io.weft.platform.net.OutboundAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The executor's chat models, built with langchain4j's builders per provider, credential revision
 * and model options, and kept for reuse: credentials belong to tenants, so models cannot be
 * configured once for the application. The key is a hash of what the model was built from (the
 * credential's resolved data included), so a credential that changes gets a new model on its next
 * use and the old one is dropped with the cache. Every model calls out through
 * {@link ProviderHttpClient} (address check, size cap, {@code Retry-After}) and never retries on
 * its own: the node's retry policy decides.
 */
@ApplicationScoped
public class ChatModels {
    static final int MAX_CACHED = 1_000;

    private final OutboundAddresses addresses;
    private final RecipeCache<Object> cache = new RecipeCache<>(MAX_CACHED);

    @Inject
    public ChatModels(@ConfigProperty(name = "weft.executor.http.allowed-networks") Optional<List<String>> allowedNetworks) {
        this(new OutboundAddresses(allowedNetworks.orElse(List.of())));
    }

    public ChatModels(OutboundAddresses addresses) {
        this.addresses = addresses;
    }

    /** What a model builder needs besides its own settings: the HTTP client every provider call goes through. */
    public HttpClientBuilder httpClient() {
        return ProviderHttpClient.builder(addresses);
    }

    /**
     * The model built from {@code recipe} (everything it is made of, secrets included — only its
     * hash is kept), built by {@code build} the first time.
     */
    public ChatModel model(Object recipe, Function<HttpClientBuilder, ChatModel> build) {
        return cached(List.of("chat", recipe), build);
    }

    /** The streaming twin of {@link #model}: the same provider and settings, answering token by token. */
    public StreamingChatModel streamingModel(Object recipe, Function<HttpClientBuilder, StreamingChatModel> build) {
        return cached(List.of("streaming", recipe), build);
    }

    @SuppressWarnings("unchecked")
    private <M> M cached(Object recipe, Function<HttpClientBuilder, M> build) {
        return (M) cache.get(recipe, () -> build.apply(httpClient()));
    }
}
