package io.weft.contracts.events;

import java.util.List;

/** The Kafka topics of the public event contract (ARCHITECTURE.md, "Kafka topics"). */
public final class Topics {
    /** ExecutionRequested, workflow → executor. */
    public static final String EXECUTION_REQUESTS = "weft.execution.requests";
    /** Cancel, Pause, Resume, ApprovalDecided, workflow → executor. */
    public static final String EXECUTION_CONTROL = "weft.execution.control";
    /** Execution and node transitions, executor → workflow, logs and outside consumers. */
    public static final String EXECUTION_EVENTS = "weft.execution.events";
    /** Executions or messages that cannot be processed, executor → logs. */
    public static final String EXECUTION_DEAD_LETTERS = "weft.execution.dead-letters";
    /** Who did what to which object, every service → logs. */
    public static final String AUDIT = "weft.audit";

    public static final List<String> ALL =
            List.of(EXECUTION_REQUESTS, EXECUTION_CONTROL, EXECUTION_EVENTS, EXECUTION_DEAD_LETTERS, AUDIT);

    private Topics() {
    }
}
