package io.weft.contracts.nodes;

/**
 * An input or output port of a node type.
 *
 * @param required for inputs: the workflow must connect it; ignored for outputs
 */
public record PortDescriptor(String name, PortType type, String displayName, boolean required) {
}
