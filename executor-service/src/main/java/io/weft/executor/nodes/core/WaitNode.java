package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class WaitNode extends DescribedNodeType {

    public WaitNode() {
        super("core.wait", 1);
    }
}
