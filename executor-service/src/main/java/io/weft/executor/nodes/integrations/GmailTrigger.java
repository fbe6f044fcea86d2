package io.weft.executor.nodes.integrations;

import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Gmail Trigger in a run: the message the run was started with goes out unchanged. The looking
 * happens before the run, in {@link GmailPolls}, when workflow-service's schedule says it is time.
 */
@ApplicationScoped
public class GmailTrigger extends DescribedNodeType {
    public static final String TYPE = "trigger.gmail";

    public GmailTrigger() {
        super(TYPE, 1);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        return NodeOutput.main(run.items());
    }
}
