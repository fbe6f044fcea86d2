package io.weft.contracts.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the catalog says about one version of a node type: enough for an editor to draw it and for
 * the compiler to check a node of this type without running it.
 *
 * @param type             stable type name, e.g. {@code core.httpRequest}
 * @param parametersSchema JSON Schema (draft 2020-12) of the node's {@code parameters}, with defaults
 * @param credentialTypes  credential types the node accepts, e.g. {@code httpBearer}
 * @param trigger          true for nodes that start executions; triggers have no inputs
 */
public record NodeTypeDescriptor(
        String type,
        int version,
        String displayName,
        String description,
        NodeFamily family,
        boolean trigger,
        JsonNode parametersSchema,
        List<PortDescriptor> inputs,
        List<PortDescriptor> outputs,
        List<String> credentialTypes) {

    public NodeTypeDescriptor {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        credentialTypes = credentialTypes == null ? List.of() : List.copyOf(credentialTypes);
        if (trigger && !inputs.isEmpty()) {
            throw new IllegalArgumentException("trigger node type " + type + " cannot have inputs");
        }
    }
}
