package io.weft.executor.nodes.core;

import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class StopAndErrorNode extends TypedNodeType<StopAndErrorNode.Parameters> {

    /** @param errorType the name of an {@link ErrorKind}; another name counts as {@code USER_ERROR} */
    public record Parameters(String message, String errorType) {
    }

    public StopAndErrorNode() {
        super("core.stopAndError", 1, Parameters.class);
    }

    /** Fails the node with the message; the node's onError decides what that does to the execution. */
    @Override
    public NodeOutput run(NodeRun run) {
        Parameters parameters = parameters(run);
        String kind = parameters.errorType();
        ErrorKind errorKind = java.util.Arrays.stream(ErrorKind.values()).anyMatch(k -> k.name().equals(kind))
                ? ErrorKind.valueOf(kind) : ErrorKind.USER_ERROR;
        throw new NodeFailure(errorKind, false, parameters.message() != null ? parameters.message() : "stopped by Stop and Error");
    }
}
