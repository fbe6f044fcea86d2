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
}
