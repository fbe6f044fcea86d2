package io.weft.executor.runs;

/** The plan an execution needs cannot be had; {@code retryable} when asking again later could help. */
public class PlanUnavailableException extends RuntimeException {
    private final boolean retryable;

    public PlanUnavailableException(String hash, String reason, boolean retryable) {
        super("plan " + hash + ": " + reason);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
