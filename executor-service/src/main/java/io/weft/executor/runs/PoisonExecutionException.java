package io.weft.executor.runs;

/** The execution has been taken more often than the executor allows: it is not run again. */
public class PoisonExecutionException extends RuntimeException {
    PoisonExecutionException(String executionId, int takeovers, int maxTakeovers) {
        super("execution " + executionId + " was taken over from an executor that stopped holding it " + takeovers
                + " times (at most " + maxTakeovers + " are allowed): its executors keep crashing or stalling while running it");
    }
}
