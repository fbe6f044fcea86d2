package io.weft.executor.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Fills a node's resolved parameters with the defaults of its descriptor's JSON Schema, at every
 * depth the schema describes (object {@code properties}, array {@code items}, local {@code $ref}s to
 * {@code $defs}). A parameter that is absent or null gets its default. The descriptor is the one
 * place defaults are written: the compiler shows them, and nodes read them from here.
 */
public final class ParameterDefaults {
    private final JsonNode root;

    public ParameterDefaults(JsonNode schema) {
        this.root = schema == null ? JsonNodeFactory.instance.objectNode() : schema;
    }

    /** A copy of {@code parameters} (an object; null or missing count as empty) with every default filled in. */
    public JsonNode fill(JsonNode parameters) {
        JsonNode copy = parameters == null || parameters.isNull() || parameters.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : parameters.deepCopy();
        return fill(root, copy);
    }

    private JsonNode fill(JsonNode schema, JsonNode value) {
        JsonNode described = resolve(schema);
        if (value instanceof ObjectNode object && described.path("properties").isObject()) {
            Iterator<Map.Entry<String, JsonNode>> properties = described.get("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                JsonNode present = object.get(property.getKey());
                JsonNode byDefault = resolve(property.getValue()).get("default");
                if ((present == null || present.isNull()) && byDefault != null) {
                    present = byDefault.deepCopy();
                }
                if (present != null) {
                    object.set(property.getKey(), fill(property.getValue(), present));
                }
            }
        } else if (value instanceof ArrayNode array && described.path("items").isObject()) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, fill(described.get("items"), array.get(i)));
            }
        }
        return value;
    }

    /** The schema a local {@code $ref} ({@code #/$defs/name}) points at; the schema itself otherwise. */
    private JsonNode resolve(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual() && ref.asText().startsWith("#/")) {
            JsonNode target = root.at(ref.asText().substring(1));
            return target.isMissingNode() ? schema : target;
        }
        return schema;
    }
}
