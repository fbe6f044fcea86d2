package io.weft.executor.engine;

import io.weft.contracts.events.ErrorKind;

/** A node's typed failure: what kind of error, and whether trying again could help. */
public class NodeFailure extends RuntimeException {
    private final ErrorKind kind;
    private final boolean retryable;

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
}
