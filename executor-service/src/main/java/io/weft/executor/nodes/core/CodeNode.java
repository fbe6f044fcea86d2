package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.expressions.FromAi;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import io.weft.executor.sandbox.CodeResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Runs the node's JavaScript in the sandbox, once for all items ({@code return} an array of items)
 * or once per item ({@code return} the item; nothing drops it). The code is not an expression
 * template: {@code {{ }}} in it is plain JavaScript text. Attached to an AI agent as a tool, its
 * {@code $fromAI('key', 'description', 'type')} calls are what the model fills.
 */
@ApplicationScoped
public class CodeNode extends DescribedNodeType {
    static final String PER_ITEM = "runOnceForEachItem";
    static final String ALL_ITEMS = "runOnceForAllItems";

    public CodeNode() {
        super("core.code", 1);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /** As an agent's tool, the model fills the {@code $fromAI(...)} calls of the code (literal arguments only). */
    @Override
    public Map<String, FromAi> toolInputs(JsonNode parameters) {
        return FromAi.inSource(parameters == null ? "" : parameters.path("code").asText(""));
    }

    @Override
    public NodeOutput run(NodeRun run) {
        JsonNode parameters = run.node().parameters();
        String code = parameters.path("code").asText("");
        String mode = parameters.path("mode").asText(ALL_ITEMS);
        if (code.isBlank()) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": code is empty");
        }
        if (!PER_ITEM.equals(mode) && !ALL_ITEMS.equals(mode)) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": mode must be "
                    + ALL_ITEMS + " or " + PER_ITEM);
        }
        CodeResult result;
        try {
            result = run.scripts().code(code, mode);
        } catch (NodeFailure e) {
            throw new NodeFailure(e.kind(), e.retryable(), "node \"" + run.node().name() + "\": " + e.getMessage(), e);
        }
        List<Item> items = result.items().stream().map(Item::of).toList();
        return NodeOutput.main(items);
    }
}
