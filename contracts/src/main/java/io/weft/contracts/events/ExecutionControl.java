package io.weft.contracts.events;

/** A command to a running or waiting execution, on {@link Topics#EXECUTION_CONTROL}. */
public sealed interface ExecutionControl extends WeftEvent
        permits ExecutionControl.Cancel, ExecutionControl.Pause, ExecutionControl.Resume, ExecutionControl.ApprovalDecided {

    String executionId();

    /** The user or service that asked for it. */
    String requestedBy();

    @Override
    default String partitionKey() {
        return executionId();
    }

    record Cancel(String eventId, String tenantId, String executionId, String requestedBy, String reason,
                  java.time.Instant occurredAt) implements ExecutionControl {
    }

    record Pause(String eventId, String tenantId, String executionId, String requestedBy,
                 java.time.Instant occurredAt) implements ExecutionControl {
    }

    record Resume(String eventId, String tenantId, String executionId, String requestedBy,
                  java.time.Instant occurredAt) implements ExecutionControl {
    }

    /** A human decision on an approval gate that the execution waits at. */
    record ApprovalDecided(String eventId, String tenantId, String executionId, String requestedBy,
                           String approvalId, String nodeId, Decision decision, String comment,
                           java.time.Instant occurredAt) implements ExecutionControl {
    }

    enum Decision {
        APPROVED,
        REJECTED
    }
}
