package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@ApplicationScoped
public class MergeNode extends TypedNodeType<MergeNode.Parameters> {

    /**
     * @param mode {@code append} or {@code combineByKey}
     * @param key1 with combineByKey: the field of input1's items
     * @param key2 with combineByKey: the field of input2's items
     * @param join {@code inner}, {@code left} or {@code outer}
     */
    public record Parameters(String mode, String key1, String key2, String join) {
    }

    public MergeNode() {
        super("core.merge", 1, Parameters.class);
    }

    /** append: input1's items, then input2's. combineByKey: items joined on key1 = key2 (inner, left or outer). */
    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> first = run.items("input1");
        List<Item> second = run.items("input2");
        Parameters parameters = parameters(run);
        if (!"combineByKey".equals(parameters.mode())) {
            List<Item> all = new ArrayList<>(first);
            all.addAll(second);
            return NodeOutput.main(all);
        }
        String key1 = parameters.key1();
        String key2 = parameters.key2();
        String join = parameters.join();
        if (key1 == null || key2 == null) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                    + "\": combineByKey needs key1 and key2");
        }
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
