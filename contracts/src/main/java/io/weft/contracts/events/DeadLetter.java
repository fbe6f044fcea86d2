package io.weft.contracts.events;

import java.time.Instant;

/**
 * A message or execution that could not be processed, with the reason; kept for inspection and
 * redrive. For unreadable messages only the source coordinates and a preview are known.
 *
 * @param payloadPreview the first bytes of the original message as text, truncated
 */
public record DeadLetter(
        String eventId,
        String tenantId,
        String executionId,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        Reason reason,
        String message,
        String payloadPreview,
        int attempts,
        Instant occurredAt) implements WeftEvent {

    @Override
    public String partitionKey() {
        return executionId != null ? executionId : sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
    }

    public enum Reason {
        UNREADABLE_MESSAGE,
        UNKNOWN_EVENT_TYPE,
        PLAN_NOT_FOUND,
        CRASHED_EXECUTOR_REPEATEDLY,
        EXECUTION_FAILED_PERMANENTLY
    }
}
