package io.weft.executor.engine;

import io.weft.contracts.workflow.BackoffKind;
import io.weft.contracts.workflow.RetryPolicy;
import java.time.Duration;
import java.util.random.RandomGenerator;

/** How long to wait before the next attempt, from a node's resolved retry policy. */
public final class Backoff {
    /** The longest {@code Retry-After} an attempt waits for; a provider asking for more gets its call sooner. */
    public static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(15);
    private final RandomGenerator random;

    public Backoff(RandomGenerator random) {
        this.random = random;
    }

    /**
     * The pause after {@code failedAttempt} (1 for the first failure): fixed, or
     * {@code initial × coefficient^(failedAttempt−1)}; capped at the policy's maximum; with jitter,
     * a random point in the upper half of that, so that retries of many executions spread out.
     */
    public Duration after(RetryPolicy policy, int failedAttempt) {
        double delay = policy.initialIntervalMs();
        if (policy.backoff() == BackoffKind.EXPONENTIAL) {
            delay *= Math.pow(policy.backoffCoefficient(), failedAttempt - 1);
        }
        delay = Math.min(delay, policy.maxIntervalMs());
        if (Boolean.TRUE.equals(policy.jitter())) {
            delay = delay / 2 + random.nextDouble() * delay / 2;
        }
        return Duration.ofMillis(Math.round(delay));
    }

    /**
     * The pause after a failed attempt: the policy's, or longer when the failure carries the other
     * side's {@code Retry-After}: a provider that says when it will take calls again is believed,
     * beyond the policy's maximum interval, up to {@link #LONGEST_RETRY_AFTER}.
     */
    public Duration after(RetryPolicy policy, int failedAttempt, NodeFailure failure) {
        Duration planned = after(policy, failedAttempt);
        return failure.retryAfter().map(asked -> asked.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : asked)
                .filter(asked -> asked.compareTo(planned) > 0).orElse(planned);
    }

    /** Whether the failure is one the policy retries: the listed kinds, or any retryable failure when none are listed. */
    public static boolean retries(RetryPolicy policy, NodeFailure failure) {
        return policy.retryOn().isEmpty() ? failure.retryable() : policy.retryOn().contains(failure.kind());
    }
}
