package io.weft.executor.nodes.core;

import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class NoOpNode extends DescribedNodeType {

    public NoOpNode() {
        super("core.noOp", 1);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        return NodeOutput.main(run.items());
    }
}
