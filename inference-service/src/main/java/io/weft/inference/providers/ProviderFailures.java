package io.weft.inference.providers;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;

/** What a provider's failure means for the caller; the provider's own message is left out (it may quote the key). */
public final class ProviderFailures {
    private ProviderFailures() {
    }

    /** A refused key or a missing model is the caller's (400), a rate limit 429, a timeout 504, anything else 502. */
    public static ProblemException of(String provider, String model, RuntimeException e) {
        if (e instanceof ProblemException problem) {
            return problem;
        }
        if (e instanceof RateLimitException) {
            return new ProblemException(ProblemType.RATE_LIMITED, provider + " limits this credential's requests now; try again later");
        }
        if (e instanceof AuthenticationException) {
            return new ProblemException(ProblemType.VALIDATION_FAILED, "credentialId: " + provider + " refused the credential's key");
        }
        if (e instanceof ModelNotFoundException) {
            return new ProblemException(ProblemType.VALIDATION_FAILED, "model: " + provider + " has no model '" + model + "'");
        }
        if (e instanceof TimeoutException || e.getCause() instanceof java.net.http.HttpTimeoutException) {
            return new ProblemException(ProblemType.UPSTREAM_TIMEOUT, provider + " did not answer in time");
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return new ProblemException(ProblemType.BAD_GATEWAY, provider + " answered " + http.statusCode());
            }
        }
        return new ProblemException(ProblemType.BAD_GATEWAY, provider + " could not be asked (" + e.getClass().getSimpleName() + ")");
    }

    /** Whether the failure is the caller's to fix (a key, a model, a credential), not worth another attempt. */
    public static boolean permanent(ProblemException problem) {
        return problem.type() == ProblemType.VALIDATION_FAILED;
    }
}
