package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Field paths such as {@code customer.address.city} inside an item's JSON. */
final class DottedPaths {

    private DottedPaths() {
    }

    static JsonNode get(JsonNode root, String path) {
        JsonNode at = root;
        for (String part : path.split("\\.", -1)) {
            if (at == null || !at.isObject()) {
                return MissingNode.getInstance();
            }
            at = at.get(part);
        }
        return at == null ? MissingNode.getInstance() : at;
    }

    /** Sets the value, creating (or replacing non-object) intermediate objects. */
    static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.", -1);
        ObjectNode at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = at.get(parts[i]);
            at = next instanceof ObjectNode object ? object : at.putObject(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
    }

    static void remove(ObjectNode root, String path) {
        String[] parts = path.split("\\.", -1);
        JsonNode at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.get(parts[i]);
            if (!(at instanceof ObjectNode)) {
                return;
            }
        }
        ((ObjectNode) at).remove(parts[parts.length - 1]);
    }
}
