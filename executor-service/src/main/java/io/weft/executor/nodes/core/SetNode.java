package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class SetNode extends TypedNodeType<SetNode.Parameters> {

    /** @param mode {@code fields} (set each field) or {@code json} (the whole item) */
    public record Parameters(String mode, List<Field> fields, JsonNode json, List<String> remove, boolean keepInputFields) {
    }

    /** @param name a dotted path; {@code value} null when the workflow left it out (the field is set to null) */
    public record Field(String name, JsonNode value) {
    }

    public SetNode() {
        super("core.set", 1, Parameters.class);
    }

    /** Per item: start from the item (or from nothing), set each field, remove the listed ones. */
    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> out = new ArrayList<>(run.items().size());
        for (int i = 0; i < run.items().size(); i++) {
            Item item = run.items().get(i);
            Parameters parameters = parameters(run, i);
            boolean keep = parameters.keepInputFields();
            ObjectNode json;
            if ("json".equals(parameters.mode())) {
                JsonNode replacement = parameters.json();
                if (replacement == null || !replacement.isObject()) {
                    throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                            + "\": json must evaluate to an object");
                }
                json = keep ? item.json().deepCopy().setAll((ObjectNode) replacement.deepCopy()) : (ObjectNode) replacement.deepCopy();
            } else {
                json = keep ? item.json().deepCopy() : JsonNodeFactory.instance.objectNode();
                for (Field field : parameters.fields()) {
                    DottedPaths.set(json, field.name(), field.value() != null ? field.value() : JsonNodeFactory.instance.nullNode());
                }
            }
            for (String name : parameters.remove()) {
                DottedPaths.remove(json, name);
            }
            out.add(new Item(json, item.binary()));
        }
        return NodeOutput.main(out);
    }
}
