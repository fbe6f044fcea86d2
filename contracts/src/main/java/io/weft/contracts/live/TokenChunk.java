package io.weft.contracts.live;

import java.util.Objects;

/**
 * A piece of the text an AI node is producing (a model's answer as it streams), as the executor
 * publishes it to live listeners — never to Kafka and never stored: the node's output holds the
 * whole text once. It travels as JSON on the Redis channel {@link #channel} of its execution; the
 * SSE stream of the execution sends it as a {@code node.tokens} event, a streaming webhook answer
 * as a line.
 *
 * @param nodeId   the node that produces the text
 * @param item     the node's input item the text answers (from 0)
 * @param sequence the chunk's place in that node's and item's text, from 1; a listener that sees a
 *                 gap knows it missed a chunk
 * @param text     the text since the previous chunk
 */
public record TokenChunk(String nodeId, int item, int sequence, String text) {
    /** What SSE streams name these events. */
    public static final String EVENT_NAME = "node.tokens";
    private static final String CHANNEL_PREFIX = "weft:tokens:";

    public TokenChunk {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(text, "text");
    }

    /** The Redis channel of one execution's chunks; the tenant is part of it, so a listener can only be given its own tenant's. */
    public static String channel(String tenantId, String executionId) {
        return CHANNEL_PREFIX + tenantId + ":" + executionId;
    }
}
