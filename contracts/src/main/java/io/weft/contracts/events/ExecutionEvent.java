package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A transition of an execution or one of its nodes, on {@link Topics#EXECUTION_EVENTS}.
 * {@link #sequence()} grows by one per event of an execution, so consumers can order events and
 * drop duplicates even when a resumed execution re-emits some. Previews are truncated and never
 * hold secrets; full outputs stay in the executor's store behind {@code outputRef}.
 */
public sealed interface ExecutionEvent extends WeftEvent permits
        ExecutionEvent.ExecutionStarted, ExecutionEvent.NodeStarted, ExecutionEvent.NodeSucceeded,
        ExecutionEvent.NodeFailed, ExecutionEvent.NodeRetrying, ExecutionEvent.ExecutionWaiting, ExecutionEvent.WebhookResponded,
        ExecutionEvent.ExecutionSucceeded, ExecutionEvent.ExecutionFailed, ExecutionEvent.ExecutionCancelled {

    String executionId();

    String workflowId();

    long sequence();

    @Override
    default String partitionKey() {
        return executionId();
    }

    /** True for the last event an execution emits. */
    default boolean terminal() {
        return this instanceof ExecutionSucceeded || this instanceof ExecutionFailed || this instanceof ExecutionCancelled;
    }

    record ExecutionStarted(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                            int workflowVersion, String planHash, TriggerKind trigger, String executorId,
                            boolean resumed, Instant occurredAt) implements ExecutionEvent {
    }

    /** @param idempotencyKey {@code tenant:execution:node:attempt}, passed on by side-effecting nodes */
    record NodeStarted(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                       String nodeId, String nodeName, String nodeType, int attempt, String idempotencyKey,
                       Instant occurredAt) implements ExecutionEvent {
    }

    /** @param console what the node's scripts wrote to the console (Code node, script expressions), truncated */
    record NodeSucceeded(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                         String nodeId, String nodeName, int attempt, long durationMs, int itemCount,
                         JsonNode outputPreview, String outputRef, List<ConsoleLine> console,
                         Instant occurredAt) implements ExecutionEvent {
    }

    /** The node's final failure, after retries; {@code handling} says what the execution does next. */
    record NodeFailed(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                      String nodeId, String nodeName, int attempt, long durationMs, ExecutionError error,
                      FailureHandling handling, List<ConsoleLine> console, Instant occurredAt) implements ExecutionEvent {
    }

    record NodeRetrying(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                        String nodeId, String nodeName, int failedAttempt, Instant retryAt, ExecutionError error,
                        Instant occurredAt) implements ExecutionEvent {
    }

    /** The execution is parked and holds no executor until a decision, resume or time arrives. */
    record ExecutionWaiting(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                            String nodeId, WaitReason reason, Instant resumeAt, String approvalId,
                            Instant occurredAt) implements ExecutionEvent {
    }

    /**
     * What a Respond to Webhook node decided the webhook call's answer is, published when the node
     * runs (the execution may go on after it): the answer of a synchronous webhook.
     *
     * @param body        the JSON answer, a text (with a text content type), or null for no body
     * @param contentType the body's media type, or null without a body
     */
    record WebhookResponded(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                            String nodeId, int statusCode, java.util.Map<String, String> headers, JsonNode body,
                            String contentType, Instant occurredAt) implements ExecutionEvent {
    }

    record ExecutionSucceeded(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                              long durationMs, JsonNode outputPreview, Instant occurredAt) implements ExecutionEvent {
    }

    record ExecutionFailed(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                           long durationMs, String failedNodeId, ExecutionError error,
                           Instant occurredAt) implements ExecutionEvent {
    }

    record ExecutionCancelled(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                              String requestedBy, String reason, Instant occurredAt) implements ExecutionEvent {
    }

    enum FailureHandling {
        FAIL_EXECUTION,
        ROUTE_TO_ERROR_OUTPUT,
        CONTINUE
    }

    enum WaitReason {
        APPROVAL,
        WAIT_DURATION,
        WAIT_UNTIL,
        WEBHOOK,
        PAUSED
    }
}
