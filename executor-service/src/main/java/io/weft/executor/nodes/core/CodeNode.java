package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CodeNode extends DescribedNodeType {

    public CodeNode() {
        super("core.code", 1);
    }
}
