package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.ai.StructuredAnswers;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text Classifier ({@code ai.textClassifier}): the attached chat model puts each item's text in one
 * of the node's categories, and the item goes out of that category's output ({@code category0} for
 * the first, …), or of {@code other} when none fits (or is dropped, with {@code fallback: discard}).
 * The model must answer with one of the categories' names (a schema with their enumeration), with
 * the repair rounds of every structured answer; the item carries its {@code classification}.
 */
@ApplicationScoped
public class TextClassifierNode extends TypedNodeType<TextClassifierNode.Parameters> {
    static final String OTHER = "other";

    public record Category(String name, String description) {
    }

    public record Parameters(String text, List<Category> categories, String fallback, String instructions, int maxRepairs) {
    }

    public TextClassifierNode() {
        super("ai.textClassifier", 1, Parameters.class);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        SubNode attached = LlmChainNode.model(run);
        Map<String, List<Item>> byPort = new LinkedHashMap<>();
        for (int index = 0; index < run.items().size(); index++) {
            Parameters parameters = parameters(run, index);
            List<String> names = parameters.categories().stream().map(Category::name).toList();
            boolean other = OTHER.equals(parameters.fallback());
            LanguageModel model = ((ChatModelNode) attached.type()).languageModel(run, attached, index);
            StructuredChat.Answer answer = StructuredChat.ask(run.node().name(), model, List.of(
                    SystemMessage.from(instructions(parameters, other)),
                    UserMessage.from(parameters.text() == null ? "" : parameters.text())), schema(names, other), parameters.maxRepairs());
            String category = answer.value().path("category").asText();
            int at = names.indexOf(category);
            if (at < 0 && !other) {
                continue;
            }
            ObjectNode json = run.items().get(index).json().deepCopy();
            ObjectNode classification = answer.describe(model);
            classification.put("category", category);
            json.set("classification", classification);
            byPort.computeIfAbsent(at < 0 ? OTHER : "category" + at, port -> new ArrayList<>())
                    .add(new Item(json, run.items().get(index).binary()));
        }
        return new NodeOutput(byPort);
    }

    private static Schema schema(List<String> names, boolean other) {
        ObjectNode schema = WeftJson.mapper().createObjectNode().put("type", "object");
        schema.putArray("required").add("category");
        ArrayNode choices = schema.putObject("properties").putObject("category").putArray("enum");
        names.forEach(choices::add);
        if (other) {
            choices.add(OTHER);
        }
        return StructuredAnswers.schema(schema);
    }

    private static String instructions(Parameters parameters, boolean other) {
        StringBuilder task = new StringBuilder("Put the user's text in exactly one of these categories:\n");
        for (Category category : parameters.categories()) {
            task.append("- ").append(category.name());
            if (category.description() != null && !category.description().isBlank()) {
                task.append(": ").append(category.description());
            }
            task.append('\n');
        }
        if (other) {
            task.append("- ").append(OTHER).append(": none of the above fits\n");
        }
        task.append("Answer with only a JSON object {\"category\": \"<name>\"}, nothing else.");
        return parameters.instructions() == null || parameters.instructions().isBlank() ? task.toString()
                : parameters.instructions() + "\n\n" + task;
    }

}
