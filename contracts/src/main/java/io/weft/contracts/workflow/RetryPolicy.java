package io.weft.contracts.workflow;

import io.weft.contracts.events.ErrorKind;
import java.util.List;

/**
 * How a node retries. Absent fields take the node type's defaults when the compiler resolves
 * the policy; {@code retryOn} empty means every retryable error kind.
 */
public record RetryPolicy(
        Integer maxAttempts,
        BackoffKind backoff,
        Long initialIntervalMs,
        Double backoffCoefficient,
        Long maxIntervalMs,
        Boolean jitter,
        List<ErrorKind> retryOn) {

    public RetryPolicy {
        retryOn = retryOn == null ? List.of() : List.copyOf(retryOn);
    }
}
