package io.weft.contracts.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One node of a workflow. {@code parameters} are checked against the node type's parameter schema
 * at compile time; string values may hold {@code {{ }}} expressions.
 *
 * @param credentials credential slot name (as the node type declares it) to a credential reference
 * @param timeoutMs   per-attempt timeout; absent means the node type's default
 */
public record NodeDefinition(
        String id,
        String name,
        String type,
        int typeVersion,
        JsonNode parameters,
        Map<String, CredentialRef> credentials,
        RetryPolicy retry,
        Long timeoutMs,
        OnError onError,
        Position position,
        boolean disabled) {

    public NodeDefinition {
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
    }
}
