package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A transition of an execution, on {@link Topics#EXECUTION_EVENTS} (contract v2). The executor
 * publishes what it checkpoints, in the same batch: node transitions travel together, in the event
 * of the checkpoint flush that saved them ({@link NodesProgressed} while the execution runs, or the
 * waiting or terminal event that ends the run). {@link #sequence()} grows by one per event of an
 * execution, so consumers can order events and drop duplicates even when a resumed execution
 * re-emits some or a crashed executor's outbox is published late. Previews are truncated and never
 * hold secrets; full outputs stay in the executor's store behind {@code outputRef}.
 */
public sealed interface ExecutionEvent extends WeftEvent permits
        ExecutionEvent.ExecutionStarted, ExecutionEvent.NodesProgressed, ExecutionEvent.ExecutionWaiting,
        ExecutionEvent.WebhookResponded, ExecutionEvent.ExecutionSucceeded, ExecutionEvent.ExecutionFailed,
        ExecutionEvent.ExecutionCancelled {

    String executionId();

    String workflowId();

    long sequence();

    @Override
    default String partitionKey() {
        return executionId();
    }

    /** The node transitions this event carries, in the order they happened (none for most kinds). */
    default List<NodeTransition> nodes() {
        return List.of();
    }

    /** True for the last event an execution emits. */
    default boolean terminal() {
        return this instanceof ExecutionSucceeded || this instanceof ExecutionFailed || this instanceof ExecutionCancelled;
    }

    record ExecutionStarted(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                            int workflowVersion, String planHash, TriggerKind trigger, String executorId,
                            boolean resumed, Instant occurredAt) implements ExecutionEvent {
    }

    /** Node transitions saved by one checkpoint flush of a running execution. */
    record NodesProgressed(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                           List<NodeTransition> nodes, Instant occurredAt) implements ExecutionEvent {
        public NodesProgressed {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    /** The execution is parked and holds no executor until a decision, resume or time arrives. */
    record ExecutionWaiting(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                            String nodeId, WaitReason reason, Instant resumeAt, String approvalId, List<NodeTransition> nodes,
                            Instant occurredAt) implements ExecutionEvent {
        public ExecutionWaiting {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
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

    /** The execution's end; {@code nodes} are the transitions of its last checkpoint flush. */
    record ExecutionSucceeded(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                              long durationMs, JsonNode outputPreview, List<NodeTransition> nodes,
                              Instant occurredAt) implements ExecutionEvent {
        public ExecutionSucceeded {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    record ExecutionFailed(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                           long durationMs, String failedNodeId, ExecutionError error, List<NodeTransition> nodes,
                           Instant occurredAt) implements ExecutionEvent {
        public ExecutionFailed {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    record ExecutionCancelled(String eventId, String tenantId, String executionId, String workflowId, long sequence,
                              String requestedBy, String reason, List<NodeTransition> nodes,
                              Instant occurredAt) implements ExecutionEvent {
        public ExecutionCancelled {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
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
