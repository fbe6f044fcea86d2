package io.weft.executor.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What flows between nodes: one JSON object, plus references to binary payloads kept out of line
 * (name → payload id in the executor's store).
 */
public record Item(ObjectNode json, Map<String, String> binary) {

    public Item {
        binary = binary == null ? Map.of() : Map.copyOf(binary);
    }

    public static Item of(ObjectNode json) {
        return new Item(json, Map.of());
    }

    public static Item empty() {
        return of(JsonNodeFactory.instance.objectNode());
    }
}
