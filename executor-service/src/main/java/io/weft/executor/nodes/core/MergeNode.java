package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MergeNode extends DescribedNodeType {

    public MergeNode() {
        super("core.merge", 1);
    }
}
