package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class StopAndErrorNode extends DescribedNodeType {

    public StopAndErrorNode() {
        super("core.stopAndError", 1);
    }

    /** Fails the node with the message; the node's onError decides what that does to the execution. */
    @Override
    public NodeOutput run(NodeRun run) {
        JsonNode parameters = run.parameters();
        String kind = parameters.path("errorType").asText(ErrorKind.USER_ERROR.name());
        ErrorKind errorKind = java.util.Arrays.stream(ErrorKind.values()).anyMatch(k -> k.name().equals(kind))
                ? ErrorKind.valueOf(kind) : ErrorKind.USER_ERROR;
        throw new NodeFailure(errorKind, false, parameters.path("message").asText("stopped by Stop and Error"));
    }
}
