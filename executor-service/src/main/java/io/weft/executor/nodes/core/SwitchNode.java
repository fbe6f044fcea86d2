package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class SwitchNode extends DescribedNodeType {

    public SwitchNode() {
        super("core.switch", 1);
    }

    /** Each item goes to {@code case<i>} of the first rule it matches (every match with allMatchingRules), else to fallback. */
    @Override
    public NodeOutput run(NodeRun run) {
        Map<String, List<Item>> ports = new LinkedHashMap<>();
        for (int i = 0; i < run.items().size(); i++) {
            Item item = run.items().get(i);
            JsonNode parameters = run.parameters(i);
            boolean everyMatch = parameters.path("allMatchingRules").asBoolean(false);
            boolean matched = false;
            JsonNode rules = parameters.path("rules");
            for (int rule = 0; rule < rules.size(); rule++) {
                JsonNode definition = rules.get(rule);
                if (Conditions.hold(definition.path("conditions"), definition.path("combine").asText("and"))) {
                    ports.computeIfAbsent("case" + rule, port -> new ArrayList<>()).add(item);
                    matched = true;
                    if (!everyMatch) {
                        break;
                    }
                }
            }
            if (!matched && "output".equals(parameters.path("fallback").asText("output"))) {
                ports.computeIfAbsent("fallback", port -> new ArrayList<>()).add(item);
            }
        }
        return new NodeOutput(ports);
    }
}
