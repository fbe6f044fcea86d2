package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.ai.StructuredAnswers;
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
 * Information Extractor ({@code ai.informationExtractor}): the attached chat model reads each item's
 * text and answers with a JSON value that must fit the node's JSON Schema. The answer is read
 * tolerantly ({@link StructuredAnswers}); when it still cannot be read or does not fit, the model is
 * shown what is wrong and asked again, up to {@code maxRepairs} times; after that the node fails with
 * {@code OUTPUT_SCHEMA} and the last answer as it came.
 */
@ApplicationScoped
public class InformationExtractorNode extends TypedNodeType<InformationExtractorNode.Parameters> {
    public record Parameters(String text, JsonNode schema, String instructions, int maxRepairs) {
    }

    public InformationExtractorNode() {
        super("ai.informationExtractor", 1, Parameters.class);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        SubNode attached = LlmChainNode.model(run);
        List<Item> extracted = new ArrayList<>();
        for (int index = 0; index < run.items().size(); index++) {
            Parameters parameters = parameters(run, index);
            LanguageModel model = ((ChatModelNode) attached.type()).languageModel(run, attached, index);
            extracted.add(Item.of(extract(run, parameters, model, schema(run, parameters))));
        }
        return NodeOutput.main(extracted);
    }

    private static Schema schema(NodeRun run, Parameters parameters) {
        try {
            return StructuredAnswers.schema(parameters.schema());
        } catch (RuntimeException e) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": parameter 'schema' is not a"
                    + " JSON Schema: " + e.getMessage());
        }
    }

    private static ObjectNode extract(NodeRun run, Parameters parameters, LanguageModel model, Schema schema) {
        StructuredChat.Answer answer = StructuredChat.ask(run.node().name(), model, List.of(SystemMessage.from(instructions(parameters)),
                UserMessage.from(parameters.text() == null ? "" : parameters.text())), schema, parameters.maxRepairs());
        ObjectNode json = answer.describe(model);
        json.set("data", answer.value());
        return json;
    }

    private static String instructions(Parameters parameters) {
        String task = "Extract the information the JSON Schema below describes from the user's text. Answer with one JSON value"
                + " that fits the schema, and nothing else: no prose, no code fence. Leave out what the text does not say unless"
                + " the schema requires it.\nJSON Schema:\n" + parameters.schema().toString();
        return parameters.instructions() == null || parameters.instructions().isBlank() ? task : parameters.instructions() + "\n\n" + task;
    }
}
