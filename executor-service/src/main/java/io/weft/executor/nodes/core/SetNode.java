package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class SetNode extends DescribedNodeType {

    public SetNode() {
        super("core.set", 1);
    }

    /** Per item: start from the item (or from nothing), set each field, remove the listed ones. */
    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> out = new ArrayList<>(run.items().size());
        for (int i = 0; i < run.items().size(); i++) {
            Item item = run.items().get(i);
            JsonNode parameters = run.parameters(i);
            boolean keep = parameters.path("keepInputFields").asBoolean(true);
            ObjectNode json;
            if ("json".equals(parameters.path("mode").asText("fields"))) {
                JsonNode replacement = parameters.path("json");
                if (!replacement.isObject()) {
                    throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                            + "\": json must evaluate to an object");
                }
                json = keep ? item.json().deepCopy().setAll((ObjectNode) replacement.deepCopy()) : (ObjectNode) replacement.deepCopy();
            } else {
                json = keep ? item.json().deepCopy() : JsonNodeFactory.instance.objectNode();
                for (JsonNode field : parameters.path("fields")) {
                    DottedPaths.set(json, field.path("name").asText(), field.has("value") ? field.get("value") : JsonNodeFactory.instance.nullNode());
                }
            }
            for (JsonNode name : parameters.path("remove")) {
                DottedPaths.remove(json, name.asText());
            }
            out.add(new Item(json, item.binary()));
        }
        return NodeOutput.main(out);
    }
}
