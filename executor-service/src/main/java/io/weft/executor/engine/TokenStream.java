package io.weft.executor.engine;

import io.weft.contracts.plan.PlannedNode;
import java.util.function.LongSupplier;

/**
 * The text a node produces for one item while it produces it (a model's answer, token by token),
 * for whoever watches the execution live. Tokens are gathered and handed on in chunks — at most one
 * every {@link #CHUNK_INTERVAL_NANOS}, and what is left when the call ends — so that a fast model
 * makes tens of messages a second, not hundreds. Nothing here is stored: the node's output holds
 * the whole text once. Used from the node's thread only.
 */
public final class TokenStream {
    /** Tokens that came within this time of the last chunk wait for the next one (or the end). */
    static final long CHUNK_INTERVAL_NANOS = 40_000_000L;

    private final RunListener listener;
    private final PlannedNode node;
    private final int item;
    private final LongSupplier nanoTime;
    private final StringBuilder pending = new StringBuilder();
    private int sequence;
    private long lastChunk;

    TokenStream(RunListener listener, PlannedNode node, int item, LongSupplier nanoTime) {
        this.listener = listener;
        this.node = node;
        this.item = item;
        this.nanoTime = nanoTime;
        this.lastChunk = nanoTime.getAsLong();
    }

    /** The next piece of the text. */
    public void append(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        pending.append(text);
        if (nanoTime.getAsLong() - lastChunk >= CHUNK_INTERVAL_NANOS) {
            flush();
        }
    }

    /** Hands on what was gathered; the end of a call (or of a text produced at once) calls it. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        listener.tokens(node, item, ++sequence, pending.toString());
        pending.setLength(0);
        lastChunk = nanoTime.getAsLong();
    }
}
