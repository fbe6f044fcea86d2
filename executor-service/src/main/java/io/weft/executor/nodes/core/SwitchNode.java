package io.weft.executor.nodes.core;

import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class SwitchNode extends TypedNodeType<SwitchNode.Parameters> {

    /** @param fallback {@code output} (to the fallback port) or {@code drop} */
    public record Parameters(List<Rule> rules, String fallback, boolean allMatchingRules) {
    }

    public record Rule(List<Condition> conditions, String combine) {
    }

    public SwitchNode() {
        super("core.switch", 1, Parameters.class);
    }

    /** Each item goes to {@code case<i>} of the first rule it matches (every match with allMatchingRules), else to fallback. */
    @Override
    public NodeOutput run(NodeRun run) {
        Map<String, List<Item>> ports = new LinkedHashMap<>();
        for (int i = 0; i < run.items().size(); i++) {
            Item item = run.items().get(i);
            Parameters parameters = parameters(run, i);
            boolean matched = false;
            List<Rule> rules = parameters.rules();
            for (int rule = 0; rule < rules.size(); rule++) {
                if (Conditions.hold(rules.get(rule).conditions(), rules.get(rule).combine())) {
                    ports.computeIfAbsent("case" + rule, port -> new ArrayList<>()).add(item);
                    matched = true;
                    if (!parameters.allMatchingRules()) {
                        break;
                    }
                }
            }
            if (!matched && "output".equals(parameters.fallback())) {
                ports.computeIfAbsent("fallback", port -> new ArrayList<>()).add(item);
            }
        }
        return new NodeOutput(ports);
    }
}
