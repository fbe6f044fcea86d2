package io.weft.executor.runs;

/** Another executor took the execution over (this one was too slow to renew its lease): stop without writing more. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String executionId) {
        super("the lease on execution " + executionId + " was lost to another executor");
    }
}
