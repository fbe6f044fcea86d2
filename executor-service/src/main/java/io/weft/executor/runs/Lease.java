package io.weft.executor.runs;

/**
 * This executor's hold on one execution.
 *
 * @param runs          how many times an executor has taken it, this time included
 * @param sequenceStart events of this run are numbered from {@code sequenceStart + 1}
 * @param command       a command that arrived before this run began ({@code cancel}, {@code pause}), or null
 * @param takeovers     how many times an executor took it over from another whose lease had run out
 * @param createdAt     when an executor first took it (the execution timeout counts from here)
 */
public record Lease(String executionId, String owner, int runs, long sequenceStart, String command, int takeovers,
                    java.time.Instant createdAt) {

    public boolean resumed() {
        return runs > 1;
    }

    /**
     * The attempt number of the nodes this run starts: 1, and one more for each time an executor
     * died with the execution (the node it was running runs again as the next attempt). A run that
     * goes on after a wait, a pause or a redrive starts no new attempt.
     */
    public int attempt() {
        return takeovers + 1;
    }
}
