package io.weft.executor.nodes.core;

import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class HttpRequestNode extends DescribedNodeType {

    public HttpRequestNode() {
        super("core.httpRequest", 1);
    }
}
