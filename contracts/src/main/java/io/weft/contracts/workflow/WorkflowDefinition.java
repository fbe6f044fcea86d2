package io.weft.contracts.workflow;

import java.util.List;

/**
 * A workflow as users write it: nodes, the connections between their ports, and settings.
 * Its JSON form is described by {@code /schemas/workflow-definition.schema.json}.
 */
public record WorkflowDefinition(
        String name,
        List<NodeDefinition> nodes,
        List<Connection> connections,
        WorkflowSettings settings) {

    public WorkflowDefinition {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        connections = connections == null ? List.of() : List.copyOf(connections);
    }
}
