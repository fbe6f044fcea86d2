package io.weft.executor.nodes.core;

import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ScheduleTrigger extends DescribedNodeType {

    public ScheduleTrigger() {
        super("trigger.schedule", 1);
    }

    /** The trigger's data, as the run was started with it, goes out unchanged. */
    @Override
    public NodeOutput run(NodeRun run) {
        return NodeOutput.main(run.items());
    }
}
