package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class StopAndErrorNode extends DescribedNodeType {

    public StopAndErrorNode() {
        super("core.stopAndError", 1);
    }
}
