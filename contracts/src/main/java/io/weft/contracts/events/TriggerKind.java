package io.weft.contracts.events;

public enum TriggerKind {
    MANUAL,
    WEBHOOK,
    SCHEDULE,
    RETRY,
    SUB_WORKFLOW,
    ERROR_WORKFLOW
}
