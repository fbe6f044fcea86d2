package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SetNode extends DescribedNodeType {

    public SetNode() {
        super("core.set", 1);
    }
}
