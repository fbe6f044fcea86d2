package io.weft.compiler.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import io.weft.compiler.catalog.NodeTypes.NodeTypeEntry;
import io.weft.contracts.compile.Diagnostic;
import io.weft.contracts.compile.DiagnosticCode;
import io.weft.contracts.expressions.Expressions;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a node's parameters against its type's schema. A value that holds an expression is only
 * known at run time, so schema complaints about such a value are left to the executor.
 */
final class ParameterCheck {

    private ParameterCheck() {
    }

    static void check(String nodeId, int nodeIndex, JsonNode parameters, NodeTypeEntry type, List<Diagnostic> out) {
        String base = Pointers.child(Pointers.node(nodeIndex), "parameters");
        for (Error error : type.parameters().validate(parameters)) {
            String location = error.getInstanceLocation().toString();
            JsonNode value = parameters.at(location);
            if (value.isTextual() && Expressions.mayHoldExpression(value.asText())) {
                continue;
            }
            String keyword = error.getKeyword();
            if ("required".equals(keyword) && error.getProperty() != null) {
                out.add(Diagnostic.error(DiagnosticCode.MISSING_PARAMETER, nodeId, Pointers.child(base + location, error.getProperty()),
                        "node " + nodeId + " (" + type.descriptor().type() + ") needs the parameter " + error.getProperty(),
                        hintFor(type, error.getProperty())));
            } else if ("additionalProperties".equals(keyword) && error.getProperty() != null) {
                out.add(Diagnostic.error(DiagnosticCode.INVALID_PARAMETER, nodeId, Pointers.child(base + location, error.getProperty()),
                        type.descriptor().type() + " has no parameter " + error.getProperty(),
                        "known parameters: " + String.join(", ", names(type.descriptor().parametersSchema().path("properties")))));
            } else {
                out.add(Diagnostic.error(DiagnosticCode.INVALID_PARAMETER, nodeId, base + location,
                        "parameter " + (location.isEmpty() ? "object" : location.substring(1)) + " of node " + nodeId + ": "
                                + withoutLocation(error.getMessage(), location),
                        null));
            }
        }
    }

    /** The node's parameters with its type's defaults filled in wherever a value is absent. */
    static JsonNode withDefaults(JsonNode parameters, JsonNode schema) {
        if (!parameters.isObject() || !schema.path("properties").isObject()) {
            return parameters;
        }
        ObjectNode filled = parameters.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode present = filled.get(property.getKey());
            if (present == null && property.getValue().has("default")) {
                filled.set(property.getKey(), property.getValue().get("default").deepCopy());
            } else if (present != null && present.isObject()) {
                filled.set(property.getKey(), withDefaults(present, property.getValue()));
            }
        }
        return filled;
    }

    static JsonNode emptyIfAbsent(JsonNode parameters) {
        return parameters == null || parameters.isNull() ? JsonNodeFactory.instance.objectNode() : parameters;
    }

    private static String hintFor(NodeTypeEntry type, String property) {
        String description = type.descriptor().parametersSchema().path("properties").path(property).path("description").asText("");
        return description.isEmpty() ? "set " + property + " in the node's parameters" : description;
    }

    private static String withoutLocation(String message, String location) {
        String prefix = location + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new java.util.ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
