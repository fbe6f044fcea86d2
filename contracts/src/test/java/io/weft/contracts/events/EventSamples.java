package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import java.time.Instant;
import java.util.Map;

/** One realistic instance of every event record, with every field set. */
final class EventSamples {
    static final String TENANT = "7d0c6a8e-2b1f-4c7a-9b4e-1f2a3b4c5d6e";
    static final String EXECUTION = "exe-01JDXR5Q0Z8K4T2V6W9Y3A1B7C";
    static final String WORKFLOW = "wf-orders-sync";
    static final Instant AT = Instant.parse("2026-11-25T10:15:30.123Z");

    private EventSamples() {
    }

    static JsonNode json(String text) {
        try {
            return WeftJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ExecutionError error() {
        return new ExecutionError(ErrorKind.HTTP_SERVER_ERROR, "upstream answered 503", true, "fetch-orders",
                json("{\"status\":503}"));
    }

    /** A pure node that ran between two flushes: reported once, finished, with its start. */
    static NodeTransition validated() {
        return new NodeTransition("validate", "Validate", "core.if", NodeTransition.Status.SUCCEEDED, 1,
                TENANT + ":" + EXECUTION + ":validate:1", AT.minusMillis(1), AT, 0L, 1, json("{\"order\":42}"),
                "checkpoint:" + EXECUTION + "/validate", null, null, null, java.util.List.of());
    }

    static NodeTransition fetched() {
        return new NodeTransition("fetch-orders", "Fetch orders", "core.httpRequest", NodeTransition.Status.SUCCEEDED, 1,
                TENANT + ":" + EXECUTION + ":fetch-orders:1", AT.minusMillis(182), AT, 182L, 12,
                json("[{\"id\":1},{\"id\":2}]"), "checkpoint:" + EXECUTION + "/fetch-orders", null, null, null,
                java.util.List.of(new ConsoleLine("log", "fetched 12 orders")));
    }

    /** An AI agent that made three model calls: their tokens travel with its end. */
    static NodeTransition answered() {
        return new NodeTransition("agent", "Support agent", "ai.agent", NodeTransition.Status.SUCCEEDED, 1,
                TENANT + ":" + EXECUTION + ":agent:1", AT.minusMillis(2_410), AT, 2_410L, 1, json("{\"text\":\"Refund sent.\"}"),
                "checkpoint:" + EXECUTION + "/agent", null, null, null, java.util.List.of(),
                java.util.List.of(new ModelUsage("OpenAI", "gpt-4o-mini", 1_840, 96, 3)));
    }

    static NodeTransition retrying() {
        return new NodeTransition("fetch-orders", "Fetch orders", "core.httpRequest", NodeTransition.Status.RETRYING, 1,
                TENANT + ":" + EXECUTION + ":fetch-orders:1", AT.minusSeconds(35), AT.minusSeconds(5), 30_000L, null, null, null,
                error(), null, AT.minusSeconds(3), java.util.List.of());
    }

    static NodeTransition failed() {
        return new NodeTransition("fetch-orders", "Fetch orders", "core.httpRequest", NodeTransition.Status.FAILED, 2,
                TENANT + ":" + EXECUTION + ":fetch-orders:2", AT.minusMillis(30_000), AT, 30_000L, null, null, null, error(),
                ExecutionEvent.FailureHandling.FAIL_EXECUTION, null, java.util.List.of());
    }

    static final Map<EventType, WeftEvent> ALL = Map.ofEntries(
            Map.entry(EventType.EXECUTION_REQUESTED, new ExecutionRequested("e1", TENANT, EXECUTION, WORKFLOW, 3,
                    "sha256:9f86d081884c7d65", TriggerKind.WEBHOOK, "webhook", json("{\"body\":{\"order\":42}}"),
                    "user:alice", "exe-previous", "fetch-orders", AT, 30, 5_000_000L, 2)),
            Map.entry(EventType.CANCEL, new ExecutionControl.Cancel("e2", TENANT, EXECUTION, "user:alice", "wrong input", AT)),
            Map.entry(EventType.PAUSE, new ExecutionControl.Pause("e3", TENANT, EXECUTION, "user:alice", AT)),
            Map.entry(EventType.RESUME, new ExecutionControl.Resume("e4", TENANT, EXECUTION, "user:alice", AT)),
            Map.entry(EventType.APPROVAL_DECIDED, new ExecutionControl.ApprovalDecided("e5", TENANT, EXECUTION,
                    "user:bob", "apr-1", "approve-refund", ExecutionControl.Decision.APPROVED, "looks fine", AT)),
            Map.entry(EventType.EXECUTION_STARTED, new ExecutionEvent.ExecutionStarted("e6", TENANT, EXECUTION, WORKFLOW, 1,
                    3, "sha256:9f86d081884c7d65", TriggerKind.MANUAL, "executor-7f9c", false, AT)),
            Map.entry(EventType.NODES_PROGRESSED, new ExecutionEvent.NodesProgressed("e7", TENANT, EXECUTION, WORKFLOW, 2,
                    java.util.List.of(validated(), NodeTransition.running("fetch-orders", "Fetch orders", "core.httpRequest", 1,
                            TENANT + ":" + EXECUTION + ":fetch-orders:1", AT)), AT)),
            Map.entry(EventType.EXECUTION_WAITING, new ExecutionEvent.ExecutionWaiting("e11", TENANT, EXECUTION, WORKFLOW, 6,
                    "approve-refund", ExecutionEvent.WaitReason.APPROVAL, AT.plusSeconds(86_400), "apr-1",
                    java.util.List.of(fetched()), AT)),
            Map.entry(EventType.WEBHOOK_RESPONDED, new ExecutionEvent.WebhookResponded("e17", TENANT, EXECUTION, WORKFLOW, 6,
                    "respond", 201, Map.of("X-Order", "A-1"), json("{\"accepted\":true}"), "application/json", AT)),
            Map.entry(EventType.EXECUTION_SUCCEEDED, new ExecutionEvent.ExecutionSucceeded("e12", TENANT, EXECUTION, WORKFLOW, 7,
                    5_021, json("{\"ok\":true}"), java.util.List.of(fetched(), answered()), AT)),
            Map.entry(EventType.EXECUTION_FAILED, new ExecutionEvent.ExecutionFailed("e13", TENANT, EXECUTION, WORKFLOW, 7,
                    5_021, "fetch-orders", error(), java.util.List.of(retrying(), failed()), AT)),
            Map.entry(EventType.EXECUTION_CANCELLED, new ExecutionEvent.ExecutionCancelled("e14", TENANT, EXECUTION, WORKFLOW, 7,
                    "user:alice", "wrong input", java.util.List.of(), AT)),
            Map.entry(EventType.DEAD_LETTER, new DeadLetter("e15", TENANT, EXECUTION, Topics.EXECUTION_REQUESTS, 2, 1_044,
                    DeadLetter.Reason.CRASHED_EXECUTOR_REPEATEDLY, "executor died 3 times", "{\"executionId\":...", 3, AT)),
            Map.entry(EventType.AUDIT, new AuditEvent("e16", TENANT, new AuditEvent.Actor(AuditEvent.ActorType.USER, "alice"),
                    "workflow.activate", "workflow", WORKFLOW, AuditEvent.Outcome.SUCCESS, "203.0.113.9",
                    json("{\"version\":3}"), AT)));
}
