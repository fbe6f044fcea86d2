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
 * @param promptInjection    what AI nodes do with outside text that looks like a prompt injection; absent means warn
 */
public record WorkflowSettings(
        String timezone,
        Integer concurrencyLimit,
        OverflowPolicy whenLimitReached,
        Long executionTimeoutMs,
        String errorWorkflowId,
        PromptInjection promptInjection) {

    public WorkflowSettings(String timezone, Integer concurrencyLimit, OverflowPolicy whenLimitReached, Long executionTimeoutMs,
                            String errorWorkflowId) {
        this(timezone, concurrencyLimit, whenLimitReached, executionTimeoutMs, errorWorkflowId, null);
    }

    /**
     * The prompt-injection guard: text from outside that reaches a model (prompts resolved from items,
     * tool answers, remembered messages) is scored first; a suspected injection is let through
     * unscored ({@code off}), let through with a warning on the node's console ({@code warn}), or fails
     * the node with {@code PROMPT_INJECTION} ({@code block}).
     */
    public enum PromptInjection {
        @JsonProperty("off")
        OFF,
        @JsonProperty("warn")
        WARN,
        @JsonProperty("block")
        BLOCK
    }

    public enum OverflowPolicy {
        @JsonProperty("queue")
        QUEUE,
        @JsonProperty("reject")
        REJECT
    }
}
