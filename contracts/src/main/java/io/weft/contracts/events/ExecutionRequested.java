package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Asks an executor to run one execution of a compiled workflow version.
 *
 * @param planHash      content hash of the compiled plan the executor fetches from the compiler
 * @param triggerNodeId the trigger node the run starts from
 * @param triggerData   the trigger's input (webhook body, manual input, schedule tick)
 * @param retryOf       for retries: the execution being retried, else absent
 * @param startAtNodeId for retries from a node: where to start, else absent
 */
public record ExecutionRequested(
        String eventId,
        String tenantId,
        String executionId,
        String workflowId,
        int workflowVersion,
        String planHash,
        TriggerKind trigger,
        String triggerNodeId,
        JsonNode triggerData,
        String requestedBy,
        String retryOf,
        String startAtNodeId,
        Instant occurredAt) implements WeftEvent {

    @Override
    public String partitionKey() {
        return executionId;
    }
}
