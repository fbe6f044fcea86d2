package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class IfNode extends DescribedNodeType {

    public IfNode() {
        super("core.if", 1);
    }
}
