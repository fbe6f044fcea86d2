package io.weft.contracts.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.workflow.Connection;
import io.weft.contracts.workflow.CredentialRef;
import java.util.List;
import java.util.Map;

/**
 * One node as the executor runs it.
 *
 * @param parameters the node's parameters with the type's defaults filled in; strings may hold expressions
 * @param inputs     connections arriving at this node, in the order their items are concatenated
 * @param outputs    connections leaving this node
 * @param disabled   a disabled node does not run: it passes its input items on through {@code main}
 * @param subNode    attached to a root node through an {@code ai_*} port (its {@code outputs} say which): never
 *                   scheduled on its own, only called by its root while the root runs
 */
public record PlannedNode(
        String id,
        String name,
        String type,
        int typeVersion,
        JsonNode parameters,
        Map<String, CredentialRef> credentials,
        NodePolicy policy,
        Join join,
        List<Connection> inputs,
        List<Connection> outputs,
        boolean disabled,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean subNode) {

    public PlannedNode {
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }
}
