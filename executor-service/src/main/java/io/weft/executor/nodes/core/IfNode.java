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
public class IfNode extends DescribedNodeType {

    public IfNode() {
        super("core.if", 1);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> yes = new ArrayList<>();
        List<Item> no = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            JsonNode parameters = run.parameters(i);
            boolean holds = Conditions.hold(parameters.path("conditions"), parameters.path("combine").asText("and"));
            (holds ? yes : no).add(run.items().get(i));
        }
        Map<String, List<Item>> ports = new LinkedHashMap<>();
        ports.put("true", yes);
        ports.put("false", no);
        return new NodeOutput(ports);
    }
}
