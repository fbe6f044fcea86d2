package io.weft.executor.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The items a node sent through each of its output ports; a port that sent nothing is absent or empty. */
public record NodeOutput(Map<String, List<Item>> ports) {
    public static final String MAIN = "main";

    public NodeOutput {
        Map<String, List<Item>> copy = new LinkedHashMap<>();
        ports.forEach((port, items) -> copy.put(port, List.copyOf(items)));
        ports = java.util.Collections.unmodifiableMap(copy);
    }

    public static NodeOutput main(List<Item> items) {
        return new NodeOutput(Map.of(MAIN, items));
    }

    public static NodeOutput of(String port, List<Item> items) {
        return new NodeOutput(Map.of(port, items));
    }

    public List<Item> port(String name) {
        return ports.getOrDefault(name, List.of());
    }

    /** Every item the node produced, port by port in the order the node filled them. */
    public List<Item> all() {
        if (ports.size() == 1) {
            return ports.values().iterator().next();
        }
        List<Item> all = new ArrayList<>();
        ports.values().forEach(all::addAll);
        return all;
    }
}
