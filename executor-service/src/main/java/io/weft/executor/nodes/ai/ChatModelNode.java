package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.ai.ChatModels;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import io.weft.executor.nodes.TypedNodeType;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat model sub-node (attached through {@code ai_languageModel}): it never runs on its own; the
 * root it is attached to asks it for a {@link LanguageModel}, with its parameters resolved on the
 * root's item and its credential resolved for the run.
 */
public abstract class ChatModelNode extends TypedNodeType<ChatModelNode.Parameters> {
    /** The settings every chat model takes; the descriptors of the three providers agree on them. */
    public record Parameters(String model, Double temperature, Integer maxTokens, long timeoutMs) {
    }

    private final ChatModels models;
    private final String provider;

    protected ChatModelNode(String type, String provider, ChatModels models) {
        super(type, 1, Parameters.class);
        this.provider = provider;
        this.models = models;
    }

    /** The model this sub-node stands for, for the root's item {@code item}. */
    public LanguageModel languageModel(NodeRun run, SubNode self, int item) {
        Parameters parameters = bind(self.node().name(), run.parameters(self, item));
        Credentials.Resolved credential = run.credential(self, descriptor().credentialTypes()).orElseThrow(() -> new NodeFailure(
                ErrorKind.CREDENTIALS, false, "node \"" + self.node().name() + "\" needs a credential of type "
                + String.join(" or ", descriptor().credentialTypes())));
        List<Object> recipe = List.of(descriptor().type(), credential.data(), parameters);
        ChatModel model = models.model(recipe, http -> build(parameters, credential.data(), http));
        return new LanguageModel(provider, parameters.model(), model,
                () -> models.streamingModel(recipe, http -> buildStreaming(parameters, credential.data(), http)),
                secrets(credential.data()), run);
    }

    protected abstract ChatModel build(Parameters parameters, JsonNode credential, HttpClientBuilder http);

    /** The same model answering token by token (a node that streams its answer asks for it). */
    protected abstract StreamingChatModel buildStreaming(Parameters parameters, JsonNode credential, HttpClientBuilder http);

    protected static String text(JsonNode credential, String field) {
        JsonNode value = credential.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private static List<String> secrets(JsonNode credential) {
        List<String> secrets = new ArrayList<>();
        for (String field : List.of("apiKey", "token", "password")) {
            String value = text(credential, field);
            if (value != null) {
                secrets.add(value);
            }
        }
        return secrets;
    }
}
