package io.weft.contracts.workflow;

/** Where an editor drew the node; carries no meaning for execution. */
public record Position(double x, double y) {
}
