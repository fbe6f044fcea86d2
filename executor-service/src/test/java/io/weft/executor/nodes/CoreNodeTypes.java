package io.weft.executor.nodes;

import io.weft.executor.nodes.core.CodeNode;
import io.weft.executor.nodes.core.HttpRequestNode;
import io.weft.executor.nodes.core.IfNode;
import io.weft.executor.nodes.core.ManualTrigger;
import io.weft.executor.nodes.core.MergeNode;
import io.weft.executor.nodes.core.NoOpNode;
import io.weft.executor.nodes.core.RespondToWebhookNode;
import io.weft.executor.nodes.core.ScheduleTrigger;
import io.weft.executor.nodes.core.SetNode;
import io.weft.executor.nodes.core.StopAndErrorNode;
import io.weft.executor.nodes.core.SwitchNode;
import io.weft.executor.nodes.core.WaitNode;
import io.weft.executor.nodes.core.WebhookTrigger;
import java.util.List;

/** The built-in node types, constructed without CDI, for tests and benchmarks. */
public final class CoreNodeTypes {
    public static final List<NodeType> ALL = List.of(new ManualTrigger(), new WebhookTrigger(), new ScheduleTrigger(),
            new HttpRequestNode(), new SetNode(), new IfNode(), new SwitchNode(), new MergeNode(), new CodeNode(),
            new WaitNode(), new RespondToWebhookNode(), new NoOpNode(), new StopAndErrorNode());

    private CoreNodeTypes() {
    }
}
