package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@ApplicationScoped
public class MergeNode extends DescribedNodeType {

    public MergeNode() {
        super("core.merge", 1);
    }

    /** append: input1's items, then input2's. combineByKey: items joined on key1 = key2 (inner, left or outer). */
    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> first = run.items("input1");
        List<Item> second = run.items("input2");
        JsonNode parameters = run.parameters();
        if (!"combineByKey".equals(parameters.path("mode").asText("append"))) {
            List<Item> all = new ArrayList<>(first);
            all.addAll(second);
            return NodeOutput.main(all);
        }
        String key1 = parameters.path("key1").asText();
        String key2 = parameters.path("key2").asText();
        String join = parameters.path("join").asText("inner");
        Map<JsonNode, List<Item>> byKey = new LinkedHashMap<>();
        for (Item item : second) {
            JsonNode key = DottedPaths.get(item.json(), key2);
            if (!key.isMissingNode() && !key.isNull()) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
            }
        }
        List<Item> out = new ArrayList<>();
        Set<JsonNode> used = new HashSet<>();
        for (Item left : first) {
            JsonNode key = DottedPaths.get(left.json(), key1);
            List<Item> partners = byKey.getOrDefault(key, List.of());
            if (partners.isEmpty() && !"inner".equals(join)) {
                out.add(left);
            }
            for (Item right : partners) {
                used.add(key);
                ObjectNode combined = left.json().deepCopy();
                combined.setAll(right.json().deepCopy());
                Map<String, String> binary = new LinkedHashMap<>(left.binary());
                binary.putAll(right.binary());
                out.add(new Item(combined, binary));
            }
        }
        if ("outer".equals(join)) {
            byKey.forEach((key, items) -> {
                if (!used.contains(key)) {
                    out.addAll(items);
                }
            });
            second.stream().filter(item -> {
                JsonNode key = DottedPaths.get(item.json(), key2);
                return key.isMissingNode() || key.isNull();
            }).forEach(out::add);
        }
        return NodeOutput.main(out);
    }
}
