package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import io.weft.executor.knowledge.KnowledgeBaseSearch;
import io.weft.executor.nodes.TypedNodeType;
import io.weft.platform.rag.GroundedAnswer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Question and Answer Chain ({@code ai.qaChain}): each item's question is searched in a knowledge
 * base, and the chunks found that are close enough to it ({@code minSimilarity}) go to the attached
 * chat model as numbered sources; the answer comes out with its citations (document, chunk, offsets,
 * score). When nothing close enough is found, or the model says the sources do not hold the answer,
 * the item says so ({@code found: false}, {@code notFoundAnswer}) instead of an invented answer —
 * and when nothing was found the model is not asked at all.
 * <p>
 * The search and the model's answer are recorded as they end ({@link NodeRun#recordCall}): a later
 * attempt of the node cites the very chunks the answer was written from, and asks no model twice.
 */
@Singleton
public class QaChainNode extends TypedNodeType<QaChainNode.Parameters> {

    public record Parameters(String knowledgeBaseId, String question, Integer k, String mode, JsonNode filter, double minSimilarity,
                             String systemMessage, String notFoundAnswer, boolean streamTokens) {
    }

    private final KnowledgeBaseSearch knowledge;

    @Inject
    public QaChainNode(KnowledgeBaseSearch knowledge) {
        super("ai.qaChain", 1, Parameters.class);
        this.knowledge = knowledge;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        SubNode attached = LlmChainNode.model(run);
        List<Item> answers = new ArrayList<>();
        for (int index = 0; index < run.items().size(); index++) {
            answers.add(Item.of(answer(run, index, parameters(run, index), attached)));
        }
        return NodeOutput.main(answers);
    }

    private ObjectNode answer(NodeRun run, int index, Parameters parameters, SubNode attached) {
        long started = System.nanoTime();
        List<JsonNode> sources = GroundedAnswer.sources(searched(run, index, parameters), parameters.minSimilarity());
        if (sources.isEmpty()) {
            return notFound(parameters, 0, started);
        }
        LanguageModel model = ((ChatModelNode) attached.type()).languageModel(run, attached, index);
        String call = "i" + index + ".answer";
        Optional<JsonNode> recorded = run.recordedCall(call);
        ChatResponse response;
        if (recorded.isPresent()) {
            response = RecordedChat.response(recorded.get());
        } else {
            ChatRequest request = ChatRequest.builder().messages(SystemMessage.from(GroundedAnswer.instructions(parameters.systemMessage())),
                    UserMessage.from(GroundedAnswer.prompt(sources, parameters.question()))).build();
            response = model.chat(request, parameters.streamTokens() ? run.tokenStream(index) : null);
            run.recordCall(call, RecordedChat.record(response));
        }
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        GroundedAnswer.Reading reading = GroundedAnswer.read(text, sources.size());
        if (!reading.found()) {
            ObjectNode answer = notFound(parameters, sources.size(), started);
            LlmChainNode.usage(answer, response.tokenUsage());
            answer.put("model", response.modelName() != null ? response.modelName() : model.modelName()).put("provider", model.provider());
            return answer;
        }
        warnAbout(run, reading, sources.size());
        ObjectNode answer = LlmChainNode.answer(model, response, (System.nanoTime() - started) / 1_000_000);
        answer.put("question", parameters.question()).put("found", true).put("sourcesGiven", sources.size());
        ArrayNode citations = answer.putArray("citations");
        for (int number : reading.cited()) {
            citations.add(GroundedAnswer.citation(number, sources.get(number - 1)));
        }
        return answer;
    }

    /** The search's hits, recorded the first time so that every attempt answers from the same chunks. */
    private JsonNode searched(NodeRun run, int index, Parameters parameters) {
        String call = "i" + index + ".search";
        Optional<JsonNode> recorded = run.recordedCall(call);
        if (recorded.isPresent()) {
            return recorded.get().path("hits");
        }
        ObjectNode found = VectorStoreRetrieveNode.found(knowledge, run, parameters.knowledgeBaseId(), parameters.question(),
                new KnowledgeBaseSearch.Request(parameters.question(), parameters.k(), parameters.mode(), parameters.filter()));
        run.recordCall(call, found);
        return found.path("hits");
    }

    private static ObjectNode notFound(Parameters parameters, int sourcesGiven, long started) {
        ObjectNode answer = WeftJson.mapper().createObjectNode();
        answer.put("question", parameters.question()).put("text", parameters.notFoundAnswer()).put("found", false)
                .put("sourcesGiven", sourcesGiven);
        answer.putArray("citations");
        answer.putObject("usage");
        answer.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        return answer;
    }

    private static void warnAbout(NodeRun run, GroundedAnswer.Reading reading, int sources) {
        if (!reading.madeUp().isEmpty()) {
            run.warn("the answer cites " + reading.madeUp().stream().map(n -> "[" + n + "]").collect(Collectors.joining(", "))
                    + ", which no source has (it was given " + sources + ")");
        }
        if (reading.cited().isEmpty()) {
            run.warn("the answer cites none of the " + sources + " sources it was given");
        }
    }
}
