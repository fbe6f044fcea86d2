package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.PortType;
import io.weft.executor.ai.ConversationStore;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import io.weft.executor.engine.TokenStream;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * AI Agent ({@code ai.agent}): for each item, the attached chat model is asked the item's prompt
 * with the attached tools; each tool call it makes runs the tool's node on the item (its
 * {@code $fromAI(...)} parameters filled from the call) and goes back to the model, until the model
 * answers. A tool that fails tells the model why (it may try otherwise); a model still calling
 * tools after {@code maxIterations} calls fails the node with {@code ITERATION_LIMIT} — it never
 * passes for an answer.
 * <p>
 * Each model and tool call is recorded as it ends ({@link NodeRun#recordCall}) under a key of its
 * item, iteration and place: a later attempt of the node — a retry, or the run resumed on another
 * executor after a crash — replays what was recorded and calls only what was not, so a tool call
 * that completed is never made again. With a memory attached, the item's conversation is read
 * before the first call (and recorded, so a replay sees what the first attempt saw) and the prompt
 * and answer are added to it once.
 */
@ApplicationScoped
public class AgentNode extends TypedNodeType<AgentNode.Parameters> {

    public record Parameters(String prompt, String systemMessage, int maxIterations, int maxToolOutputChars, boolean streamTokens) {
    }

    public AgentNode() {
        super("ai.agent", 1, Parameters.class);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        SubNode attached = LlmChainNode.model(run);
        AgentTools tools = AgentTools.of(run);
        Optional<SubNode> memory = memory(run);
        List<Item> answers = new ArrayList<>();
        for (int index = 0; index < run.items().size(); index++) {
            Parameters parameters = parameters(run, index);
            if (parameters.prompt() == null || parameters.prompt().isBlank()) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": the prompt of item "
                        + index + " is empty");
            }
            LanguageModel model = ((ChatModelNode) attached.type()).languageModel(run, attached, index);
            Conversation conversation = memory.isEmpty() ? null
                    : ((PostgresMemoryNode) memory.get().type()).conversation(run, memory.get(), index);
            answers.add(Item.of(answer(run, index, parameters, model, tools, conversation)));
        }
        return NodeOutput.main(answers);
    }

    /** A replayed answer's text goes to the live stream whole: whoever watches now did not see it the first time. */
    private static void replayText(TokenStream tokens, ChatResponse response) {
        if (tokens != null && response.aiMessage() != null && response.aiMessage().text() != null) {
            tokens.append(response.aiMessage().text());
            tokens.flush();
        }
    }

    private ObjectNode answer(NodeRun run, int index, Parameters parameters, LanguageModel model, AgentTools tools,
                              Conversation conversation) {
        List<ChatMessage> messages = new ArrayList<>();
        if (parameters.systemMessage() != null && !parameters.systemMessage().isBlank()) {
            messages.add(SystemMessage.from(parameters.systemMessage()));
        }
        List<ConversationStore.Message> history = conversation == null ? List.of() : conversation.history(run, index);
        messages.addAll(Conversation.asChat(history));
        messages.add(UserMessage.from(parameters.prompt()));
        ArrayNode steps = WeftJson.mapper().createArrayNode();
        TokenUsage usage = null;
        int replayed = 0;
        long started = System.nanoTime();
        TokenStream tokens = parameters.streamTokens() ? run.tokenStream(index) : null;
        for (int iteration = 1; iteration <= parameters.maxIterations(); iteration++) {
            String modelCall = "i" + index + ".m" + iteration;
            Optional<JsonNode> recorded = run.recordedCall(modelCall);
            ChatResponse response;
            if (recorded.isPresent()) {
                response = RecordedChat.response(recorded.get());
                replayed++;
                replayText(tokens, response);
            } else {
                ChatRequest.Builder request = ChatRequest.builder().messages(messages);
                if (!tools.specifications().isEmpty()) {
                    request.toolSpecifications(tools.specifications());
                }
                response = model.chat(request.build(), tokens);
                run.recordCall(modelCall, RecordedChat.record(response));
            }
            usage = TokenUsage.sum(usage, response.tokenUsage());
            AiMessage said = response.aiMessage();
            if (said == null || !said.hasToolExecutionRequests()) {
                ObjectNode answer = LlmChainNode.answer(model, response, (System.nanoTime() - started) / 1_000_000);
                LlmChainNode.usage(answer, usage);
                answer.put("iterations", iteration);
                answer.put("replayedCalls", replayed);
                answer.set("steps", steps);
                if (conversation != null) {
                    conversation.remember(run, index, parameters.prompt(), said == null ? null : said.text());
                    answer.putObject("memory").put("sessionKey", conversation.sessionKey()).put("previousMessages", history.size());
                }
                return answer;
            }
            messages.add(said);
            List<ToolExecutionRequest> calls = said.toolExecutionRequests();
            for (int k = 0; k < calls.size(); k++) {
                String toolCall = "i" + index + ".t" + iteration + "." + k;
                Optional<JsonNode> done = run.recordedCall(toolCall);
                ToolCall result;
                if (done.isPresent()) {
                    result = ToolCall.replayed(done.get());
                    replayed++;
                } else {
                    result = ToolCall.run(run, index, tools, calls.get(k), parameters.maxToolOutputChars(), toolCall);
                    run.recordCall(toolCall, result.record());
                }
                steps.add(result.step());
                messages.add(ToolExecutionResultMessage.from(calls.get(k), result.forModel()));
            }
        }
        throw new NodeFailure(ErrorKind.ITERATION_LIMIT, false, "node \"" + run.node().name() + "\": the model was still calling tools after "
                + parameters.maxIterations() + " calls (maxIterations) for item " + index + "; tools called: " + calledTools(steps));
    }

    static Optional<SubNode> memory(NodeRun run) {
        List<SubNode> memories = run.subNodes(PortType.AI_MEMORY);
        if (memories.isEmpty()) {
            return Optional.empty();
        }
        SubNode memory = memories.get(0);
        if (!(memory.type() instanceof PostgresMemoryNode)) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + memory.node().name() + "\" (" + memory.node().type()
                    + ") is not a memory this executor can use");
        }
        return Optional.of(memory);
    }

    private static String calledTools(ArrayNode steps) {
        List<String> names = new ArrayList<>();
        for (JsonNode step : steps) {
            names.add(step.path("tool").asText());
        }
        String all = String.join(", ", names);
        return all.isEmpty() ? "none" : all.length() > 500 ? all.substring(0, 500) + "…" : all;
    }
}
