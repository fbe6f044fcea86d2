package io.weft.contracts.events;

public enum TriggerKind {
    MANUAL,
    WEBHOOK,
    SCHEDULE,
    /** A polling trigger (the Gmail Trigger) found something new: one run per new item. */
    POLL,
    RETRY,
    SUB_WORKFLOW,
    ERROR_WORKFLOW
}
