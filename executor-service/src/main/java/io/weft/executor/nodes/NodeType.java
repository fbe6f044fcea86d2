package io.weft.executor.nodes;

import io.weft.contracts.nodes.NodeTypeDescriptor;

/**
 * The service-provider interface of a node type: one CDI bean per type and version. The catalog
 * lists exactly the beans that implement it.
 *
 * <p>This slice describes node types; running them (the engine issue) adds the method that turns
 * a node's input items into output items.
 */
public interface NodeType {

    NodeTypeDescriptor descriptor();
}
