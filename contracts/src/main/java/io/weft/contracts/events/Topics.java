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

    /** Ingest requests inside inference-service (upload → any replica); its own, not part of the event contract. */
    public static final String INFERENCE_INGEST = "weft.inference.ingest";

    /** Topics that one service keeps for itself: created with the others, described in no contract. */
    public static final List<String> INTERNAL = List.of(INFERENCE_INGEST);

    private Topics() {
    }
}
