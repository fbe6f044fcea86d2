package io.weft.contracts.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Workflow-wide settings.
 *
 * @param timezone           IANA zone for schedules and {@code $now}; absent means UTC
 * @param concurrencyLimit   running executions allowed at once for this workflow; absent means no limit
 * @param whenLimitReached   what a run beyond the limit does
 * @param executionTimeoutMs the whole execution's time limit; absent means the tenant tier's limit
 * @param errorWorkflowId    a workflow to run with the failure when an execution fails
 */
public record WorkflowSettings(
        String timezone,
        Integer concurrencyLimit,
        OverflowPolicy whenLimitReached,
        Long executionTimeoutMs,
        String errorWorkflowId) {

    public enum OverflowPolicy {
        @JsonProperty("queue")
        QUEUE,
        @JsonProperty("reject")
        REJECT
    }
}
