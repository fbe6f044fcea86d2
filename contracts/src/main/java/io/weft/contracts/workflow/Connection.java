package io.weft.contracts.workflow;

/** An edge from an output port of one node to an input port of another. */
public record Connection(PortRef from, PortRef to) {
}
