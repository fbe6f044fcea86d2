package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class RespondToWebhookNode extends DescribedNodeType {

    public RespondToWebhookNode() {
        super("core.respondToWebhook", 1);
    }
}
