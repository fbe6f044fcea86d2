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
 * @param callDepth     for a run another run started (an agent's workflow tool): how many runs stand
 *                      above it, 1 for a child of a top-level run; absent: a top-level run
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
        Long llmTokensPerMonth,
        Integer callDepth) implements WeftEvent {

    /** A request without a retention of its own (the executor's default applies). */
    public ExecutionRequested(String eventId, String tenantId, String executionId, String workflowId, int workflowVersion,
                              String planHash, TriggerKind trigger, String triggerNodeId, JsonNode triggerData, String requestedBy,
                              String retryOf, String startAtNodeId, Instant occurredAt) {
        this(eventId, tenantId, executionId, workflowId, workflowVersion, planHash, trigger, triggerNodeId, triggerData, requestedBy,
                retryOf, startAtNodeId, occurredAt, null, null, null);
    }

    /** A request with a tier's retention and budget, as top-level runs carry them. */
    public ExecutionRequested(String eventId, String tenantId, String executionId, String workflowId, int workflowVersion,
                              String planHash, TriggerKind trigger, String triggerNodeId, JsonNode triggerData, String requestedBy,
                              String retryOf, String startAtNodeId, Instant occurredAt, Integer retainDays, Long llmTokensPerMonth) {
        this(eventId, tenantId, executionId, workflowId, workflowVersion, planHash, trigger, triggerNodeId, triggerData, requestedBy,
                retryOf, startAtNodeId, occurredAt, retainDays, llmTokensPerMonth, null);
    }

    /** The same request under its tenant's tier: kept {@code retainDays} after it finishes, its model calls within a budget. */
    public ExecutionRequested underTier(int retainDays, Long llmTokensPerMonth) {
        return new ExecutionRequested(eventId, tenantId, executionId, workflowId, workflowVersion, planHash, trigger, triggerNodeId,
                triggerData, requestedBy, retryOf, startAtNodeId, occurredAt, retainDays, llmTokensPerMonth, callDepth);
    }

    /** The same request as a run {@code depth} runs below a top-level one (0: top-level). */
    public ExecutionRequested atCallDepth(int depth) {
        return new ExecutionRequested(eventId, tenantId, executionId, workflowId, workflowVersion, planHash, trigger, triggerNodeId,
                triggerData, requestedBy, retryOf, startAtNodeId, occurredAt, retainDays, llmTokensPerMonth, depth == 0 ? null : depth);
    }

    /** How many runs stand above this one; 0 for a top-level run. */
    public int depth() {
        return callDepth == null ? 0 : callDepth;
    }

    @Override
    public String partitionKey() {
        return executionId;
    }
}
