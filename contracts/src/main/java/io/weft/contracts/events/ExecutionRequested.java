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
 * @param retainDays    how many days the executor keeps the execution's data after it finishes (the
 *                      tenant's tier retention); absent: the executor's own default
 * @param llmTokensPerMonth the tenant's monthly budget of language-model tokens (its tier's), which
 *                      the run's model calls are charged to; absent: no budget
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
        Instant occurredAt,
        Integer retainDays,
        Long llmTokensPerMonth) implements WeftEvent {

    /** A request without a retention of its own (the executor's default applies). */
    public ExecutionRequested(String eventId, String tenantId, String executionId, String workflowId, int workflowVersion,
                              String planHash, TriggerKind trigger, String triggerNodeId, JsonNode triggerData, String requestedBy,
                              String retryOf, String startAtNodeId, Instant occurredAt) {
        this(eventId, tenantId, executionId, workflowId, workflowVersion, planHash, trigger, triggerNodeId, triggerData, requestedBy,
                retryOf, startAtNodeId, occurredAt, null, null);
    }

    /** The same request under its tenant's tier: kept {@code retainDays} after it finishes, its model calls within a budget. */
    public ExecutionRequested underTier(int retainDays, Long llmTokensPerMonth) {
        return new ExecutionRequested(eventId, tenantId, executionId, workflowId, workflowVersion, planHash, trigger, triggerNodeId,
                triggerData, requestedBy, retryOf, startAtNodeId, occurredAt, retainDays, llmTokensPerMonth);
    }

    @Override
    public String partitionKey() {
        return executionId;
    }
}
