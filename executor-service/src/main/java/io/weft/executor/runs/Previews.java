package io.weft.executor.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.executor.engine.Item;
import java.util.List;

/** What events show of a node's output: the first item, cut to a few kilobytes. Full outputs stay in checkpoints. */
final class Previews {
    static final int MAX_CHARS = 2048;

    private Previews() {
    }

    static JsonNode of(List<Item> items) {
        if (items.isEmpty()) {
            return null;
        }
        JsonNode first = items.get(0).json();
        String text = first.toString();
        return text.length() <= MAX_CHARS ? first : TextNode.valueOf(text.substring(0, MAX_CHARS) + "…");
    }
}
