package io.weft.executor.engine;

import io.weft.contracts.nodes.PortType;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.nodes.NodeType;

/**
 * A node attached to the running root through one of the root's {@code ai_*} inputs (a chat model,
 * a memory, a tool): the root calls it while it runs; it is never scheduled on its own. Its
 * parameters and credentials are read through the root's {@link NodeRun}.
 *
 * @param port     the root's input it is attached to
 * @param portType that input's type
 * @param type     the sub-node's type in this executor, or null when this executor has none
 */
public record SubNode(String port, PortType portType, PlannedNode node, NodeType type) {
}
