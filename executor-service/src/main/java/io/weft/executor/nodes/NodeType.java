package io.weft.executor.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;

/**
 * The service-provider interface of a node type: one CDI bean per type and version. The catalog
 * lists exactly the beans that implement it.
 */
public interface NodeType {

    NodeTypeDescriptor descriptor();

    /**
     * True for nodes that wait on the outside world (network, scripts, time): they run on their own
     * virtual thread so that their timeout can interrupt them.
     */
    default boolean blocking() {
        return false;
    }

    /**
     * What the model fills when the node runs as an agent's tool, by key: by default the
     * {@code {{ $fromAI(...) }}} expressions of its parameters.
     */
    default java.util.Map<String, io.weft.contracts.expressions.FromAi> toolInputs(JsonNode parameters) {
        return io.weft.contracts.expressions.FromAi.inParameters(parameters);
    }

    /** What an agent's model gets of one output item when the node runs as the agent's tool: by default the item's JSON. */
    default JsonNode toolResult(Item item) {
        return item.json();
    }

    /**
     * Runs the node once over its input items and says what goes out of which port. Failures are
     * {@link NodeFailure}s with their kind; anything else counts as an internal error.
     *
     * <p>The default is for descriptor-only types that this executor cannot run: they fail with a
     * clear message.
     */
    default NodeOutput run(NodeRun run) {
        throw new NodeFailure(ErrorKind.INTERNAL, false, descriptor().displayName() + " (" + descriptor().type()
                + ") cannot run in this version of the executor yet");
    }
}
