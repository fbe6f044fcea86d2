package io.weft.executor.engine;

import io.weft.contracts.events.ErrorKind;

/** A node's typed failure: what kind of error, and whether trying again could help. */
public class NodeFailure extends RuntimeException {
    private final ErrorKind kind;
    private final boolean retryable;
    /** How long the other side asked us to wait before trying again ({@code Retry-After}); null when it did not say. */
    private java.time.Duration retryAfter;

    public NodeFailure(ErrorKind kind, boolean retryable, String message) {
        super(message);
        this.kind = kind;
        this.retryable = retryable;
    }

    public NodeFailure(ErrorKind kind, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryable = retryable;
    }

    public ErrorKind kind() {
        return kind;
    }

    public boolean retryable() {
        return retryable;
    }

    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** Says how long the other side asked to wait; the next attempt waits at least that long. */
    public NodeFailure withRetryAfter(java.time.Duration value) {
        this.retryAfter = value;
        return this;
    }
}
