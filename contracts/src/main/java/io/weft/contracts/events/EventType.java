package io.weft.contracts.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Each event record with its CloudEvents {@code type} and the topic it travels on. */
public enum EventType {
    EXECUTION_REQUESTED(ExecutionRequested.class, "dev.weft.execution.requested.v1", Topics.EXECUTION_REQUESTS),

    CANCEL(ExecutionControl.Cancel.class, "dev.weft.execution.cancel.v1", Topics.EXECUTION_CONTROL),
    PAUSE(ExecutionControl.Pause.class, "dev.weft.execution.pause.v1", Topics.EXECUTION_CONTROL),
    RESUME(ExecutionControl.Resume.class, "dev.weft.execution.resume.v1", Topics.EXECUTION_CONTROL),
    APPROVAL_DECIDED(ExecutionControl.ApprovalDecided.class, "dev.weft.approval.decided.v1", Topics.EXECUTION_CONTROL),

    // Execution events, contract v2 (node transitions in batches; v1's per-node events are retired).
    EXECUTION_STARTED(ExecutionEvent.ExecutionStarted.class, "dev.weft.execution.started.v2", Topics.EXECUTION_EVENTS),
    NODES_PROGRESSED(ExecutionEvent.NodesProgressed.class, "dev.weft.execution.nodes-progressed.v2", Topics.EXECUTION_EVENTS),
    EXECUTION_WAITING(ExecutionEvent.ExecutionWaiting.class, "dev.weft.execution.waiting.v2", Topics.EXECUTION_EVENTS),
    WEBHOOK_RESPONDED(ExecutionEvent.WebhookResponded.class, "dev.weft.execution.webhook-responded.v2", Topics.EXECUTION_EVENTS),
    EXECUTION_SUCCEEDED(ExecutionEvent.ExecutionSucceeded.class, "dev.weft.execution.succeeded.v2", Topics.EXECUTION_EVENTS),
    EXECUTION_FAILED(ExecutionEvent.ExecutionFailed.class, "dev.weft.execution.failed.v2", Topics.EXECUTION_EVENTS),
    EXECUTION_CANCELLED(ExecutionEvent.ExecutionCancelled.class, "dev.weft.execution.cancelled.v2", Topics.EXECUTION_EVENTS),

    DEAD_LETTER(DeadLetter.class, "dev.weft.dead-letter.v1", Topics.EXECUTION_DEAD_LETTERS),

    AUDIT(AuditEvent.class, "dev.weft.audit.v1", Topics.AUDIT);

    private static final Map<String, EventType> BY_CE_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::ceType, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::recordClass, Function.identity()));

    private final Class<? extends WeftEvent> recordClass;
    private final String ceType;
    private final String topic;

    EventType(Class<? extends WeftEvent> recordClass, String ceType, String topic) {
        this.recordClass = recordClass;
        this.ceType = ceType;
        this.topic = topic;
    }

    public Class<? extends WeftEvent> recordClass() {
        return recordClass;
    }

    public String ceType() {
        return ceType;
    }

    public String topic() {
        return topic;
    }

    /** The CloudEvent types that end an execution: succeeded, failed, cancelled. */
    public static Set<String> terminalCeTypes() {
        return TERMINAL_CE_TYPES;
    }

    private static final Set<String> TERMINAL_CE_TYPES = Set.of(EXECUTION_SUCCEEDED.ceType, EXECUTION_FAILED.ceType,
            EXECUTION_CANCELLED.ceType);

    public static EventType of(WeftEvent event) {
        EventType type = BY_CLASS.get(event.getClass());
        if (type == null) {
            throw new IllegalArgumentException("no event type for " + event.getClass().getName());
        }
        return type;
    }

    public static Optional<EventType> byCeType(String ceType) {
        return Optional.ofNullable(ceType).map(BY_CE_TYPE::get);
    }
}
