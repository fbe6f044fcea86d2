package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ManualTrigger extends DescribedNodeType {

    public ManualTrigger() {
        super("trigger.manual", 1);
    }
}
