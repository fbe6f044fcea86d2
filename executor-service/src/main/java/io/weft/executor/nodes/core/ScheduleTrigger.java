package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ScheduleTrigger extends DescribedNodeType {

    public ScheduleTrigger() {
        super("trigger.schedule", 1);
    }
}
