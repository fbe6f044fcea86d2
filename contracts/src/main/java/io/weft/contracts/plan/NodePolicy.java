package io.weft.contracts.plan;

import io.weft.contracts.workflow.OnError;
import io.weft.contracts.workflow.RetryPolicy;

/**
 * A node's failure handling with every default filled in.
 *
 * @param retry     every field set; {@code maxAttempts} 1 means no retry
 * @param timeoutMs limit of one attempt
 */
public record NodePolicy(RetryPolicy retry, long timeoutMs, OnError onError) {
}
