package io.weft.contracts.workflow;

/** A port of a node in a workflow, e.g. node {@code check-stock}, port {@code true}. */
public record PortRef(String node, String port) {
}
