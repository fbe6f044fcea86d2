package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One node's transition, as a batch of {@link ExecutionEvent} carries it: the node started running
 * (flushed at once when it blocks on the outside world, so live views see it), an attempt failed and
 * will be retried, or the node finished. A fast node that starts and finishes between two
 * checkpoint flushes appears once, finished, with its start time.
 *
 * @param idempotencyKey {@code tenant:execution:node:attempt}, passed on by side-effecting nodes
 * @param startedAt      when this attempt began
 * @param finishedAt     when it ended (null while running)
 * @param durationMs     how long this attempt took (null while running)
 * @param outputPreview  the first item, cut to a few kilobytes (succeeded nodes)
 * @param outputRef      where the whole output stays in the executor's store (succeeded nodes)
 * @param error          why the attempt failed (retrying and failed nodes)
 * @param handling       what the execution does after a failed node
 * @param retryAt        when the next attempt starts (retrying nodes)
 * @param console        what the node's scripts wrote to the console, truncated
 * @param usage          the model calls of this attempt (AI nodes), per provider and model; empty for other nodes
 */
public record NodeTransition(String nodeId, String nodeName, String nodeType, Status status, int attempt, String idempotencyKey,
                             Instant startedAt, Instant finishedAt, Long durationMs, Integer itemCount, JsonNode outputPreview,
                             String outputRef, ExecutionError error, ExecutionEvent.FailureHandling handling, Instant retryAt,
                             List<ConsoleLine> console, List<ModelUsage> usage) {

    public enum Status {
        RUNNING,
        RETRYING,
        SUCCEEDED,
        FAILED;

        /** The read model's and the timeline's word for it: {@code running}, {@code retrying}, … */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public NodeTransition {
        console = console == null ? List.of() : List.copyOf(console);
        usage = usage == null ? List.of() : List.copyOf(usage);
    }

    /** A transition of a node that called no model. */
    public NodeTransition(String nodeId, String nodeName, String nodeType, Status status, int attempt, String idempotencyKey,
                          Instant startedAt, Instant finishedAt, Long durationMs, Integer itemCount, JsonNode outputPreview,
                          String outputRef, ExecutionError error, ExecutionEvent.FailureHandling handling, Instant retryAt,
                          List<ConsoleLine> console) {
        this(nodeId, nodeName, nodeType, status, attempt, idempotencyKey, startedAt, finishedAt, durationMs, itemCount, outputPreview,
                outputRef, error, handling, retryAt, console, List.of());
    }

    /** When the transition happened: the end of a finished or failed attempt, else its start. */
    public Instant occurredAt() {
        return finishedAt != null ? finishedAt : startedAt;
    }

    public static NodeTransition running(String nodeId, String nodeName, String nodeType, int attempt, String idempotencyKey,
                                         Instant startedAt) {
        return new NodeTransition(nodeId, nodeName, nodeType, Status.RUNNING, attempt, idempotencyKey, startedAt, null, null, null,
                null, null, null, null, null, List.of());
    }
}
