package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class WebhookTrigger extends DescribedNodeType {

    public WebhookTrigger() {
        super("trigger.webhook", 1);
    }
}
