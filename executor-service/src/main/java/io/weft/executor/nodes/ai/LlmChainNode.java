package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.PortType;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Basic LLM Chain ({@code ai.llmChain}): for each input item, its prompt (and system message) to
 * the attached chat model; out comes the item's answer with the model, the tokens it counted and
 * how long it took.
 */
@ApplicationScoped
public class LlmChainNode extends TypedNodeType<LlmChainNode.Parameters> {

    public record Parameters(String prompt, String systemMessage, boolean streamTokens) {
    }

    public LlmChainNode() {
        super("ai.llmChain", 1, Parameters.class);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        SubNode attached = model(run);
        List<Item> answers = new ArrayList<>();
        for (int index = 0; index < run.items().size(); index++) {
            Parameters parameters = parameters(run, index);
            if (parameters.prompt() == null || parameters.prompt().isBlank()) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": the prompt of item "
                        + index + " is empty");
            }
            LanguageModel model = ((ChatModelNode) attached.type()).languageModel(run, attached, index);
            List<ChatMessage> messages = new ArrayList<>();
            if (parameters.systemMessage() != null && !parameters.systemMessage().isBlank()) {
                messages.add(SystemMessage.from(parameters.systemMessage()));
            }
            messages.add(UserMessage.from(parameters.prompt()));
            long started = System.nanoTime();
            ChatResponse response = model.chat(ChatRequest.builder().messages(messages).build(),
                    parameters.streamTokens() ? run.tokenStream(index) : null);
            answers.add(Item.of(answer(model, response, (System.nanoTime() - started) / 1_000_000)));
        }
        return NodeOutput.main(answers);
    }

    static SubNode model(NodeRun run) {
        List<SubNode> models = run.subNodes(PortType.AI_LANGUAGE_MODEL);
        if (models.isEmpty()) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\" has no chat model attached");
        }
        SubNode model = models.get(0);
        if (!(model.type() instanceof ChatModelNode)) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + model.node().name() + "\" (" + model.node().type()
                    + ") is not a chat model this executor can run");
        }
        return model;
    }

    static ObjectNode answer(LanguageModel model, ChatResponse response, long durationMs) {
        ObjectNode json = WeftJson.mapper().createObjectNode();
        json.put("text", response.aiMessage() == null ? null : response.aiMessage().text());
        json.put("model", response.modelName() != null ? response.modelName() : model.modelName());
        json.put("provider", model.provider());
        usage(json, response.tokenUsage());
        if (response.finishReason() != null) {
            json.put("finishReason", response.finishReason().name());
        }
        json.put("durationMs", durationMs);
        return json;
    }

    /** {@code usage: {inputTokens, outputTokens, totalTokens}} on the item, empty when the provider counted nothing. */
    static void usage(ObjectNode json, TokenUsage usage) {
        ObjectNode tokens = json.putObject("usage");
        if (usage != null) {
            tokens.put("inputTokens", usage.inputTokenCount());
            tokens.put("outputTokens", usage.outputTokenCount());
            tokens.put("totalTokens", usage.totalTokenCount());
        }
    }
}
