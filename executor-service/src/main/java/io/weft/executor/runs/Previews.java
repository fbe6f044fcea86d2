package io.weft.executor.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.executor.engine.Item;
import io.weft.contracts.events.ConsoleLine;
import java.util.ArrayList;
import java.util.List;

/** What events show of a node's output: the first item, cut to a few kilobytes. Full outputs stay in checkpoints. */
final class Previews {
    static final int MAX_CHARS = 2048;
    static final int MAX_CONSOLE_LINES = 50;
    static final int MAX_CONSOLE_LINE_CHARS = 500;
    static final int MAX_CONSOLE_CHARS = 8192;

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

    /** The first console lines of a node, each cut short, within an event's budget. */
    static List<ConsoleLine> console(List<ConsoleLine> lines) {
        List<ConsoleLine> kept = new ArrayList<>();
        int budget = MAX_CONSOLE_CHARS;
        for (ConsoleLine line : lines) {
            if (kept.size() >= MAX_CONSOLE_LINES || budget <= 0) {
                kept.add(new ConsoleLine("info", "… " + (lines.size() - kept.size()) + " more lines not shown here"));
                break;
            }
            String text = line.line().length() <= MAX_CONSOLE_LINE_CHARS ? line.line() : line.line().substring(0, MAX_CONSOLE_LINE_CHARS) + "…";
            budget -= text.length();
            kept.add(new ConsoleLine(line.level(), text));
        }
        return kept;
    }
}
