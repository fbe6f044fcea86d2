package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SwitchNode extends DescribedNodeType {

    public SwitchNode() {
        super("core.switch", 1);
    }
}
