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
public class IfNode extends TypedNodeType<IfNode.Parameters> {

    /** @param combine {@code and} or {@code or} */
    public record Parameters(List<Condition> conditions, String combine) {
    }

    public IfNode() {
        super("core.if", 1, Parameters.class);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> yes = new ArrayList<>();
        List<Item> no = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            Parameters parameters = parameters(run, i);
            boolean holds = Conditions.hold(parameters.conditions(), parameters.combine());
            (holds ? yes : no).add(run.items().get(i));
        }
        Map<String, List<Item>> ports = new LinkedHashMap<>();
        ports.put("true", yes);
        ports.put("false", no);
        return new NodeOutput(ports);
    }
}
