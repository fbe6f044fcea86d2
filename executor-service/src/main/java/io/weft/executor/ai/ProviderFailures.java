package io.weft.executor.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import java.util.List;
import java.util.Locale;

/**
 * What a failed call to a model provider means for the node: a typed, retryable-or-not failure with
 * the provider's own message (never a secret of the credential), and its {@code Retry-After}.
 */
public final class ProviderFailures {
    private static final int MESSAGE_CHARS = 500;

    private ProviderFailures() {
    }

    /**
     * @param provider a name for the message, e.g. {@code OpenAI}
     * @param secrets  the credential's secret values, cut out of whatever the provider echoed
     */
    public static NodeFailure of(String provider, RuntimeException thrown, List<String> secrets) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof NodeFailure failure) {
                return failure;
            }
            if (cause instanceof ProviderHttpClient.ProviderAddressRefused refused) {
                return new NodeFailure(ErrorKind.CREDENTIALS, false, provider + ": " + refused.getMessage());
            }
            if (cause instanceof ProviderHttpClient.ProviderConnectionException connection) {
                return new NodeFailure(ErrorKind.CONNECTION, true, provider + ": " + connection.getMessage());
            }
            if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
                return new NodeFailure(ErrorKind.TIMEOUT, true, provider + " did not answer in time");
            }
            if (cause instanceof ContentFilteredException filtered) {
                return new NodeFailure(ErrorKind.CONTENT_FILTERED, false, provider + " refused the content: "
                        + clean(filtered.getMessage(), secrets));
            }
            if (cause instanceof HttpException http) {
                NodeFailure failure = http(provider, http.statusCode(), clean(message(http.getMessage()), secrets));
                if (http instanceof ProviderHttpClient.ProviderHttpException withHeaders) {
                    withHeaders.retryAfter().ifPresent(failure::withRetryAfter);
                }
                return failure;
            }
        }
        // Anything else came out of the provider's client reading a 2xx answer that is not the API's (a proxy's error page, a
        // cut-off or incomplete body): the provider's side, worth another attempt.
        return new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, provider + " gave an answer its client could not read: "
                + clean(String.valueOf(thrown.getMessage()), secrets), thrown);
    }

    private static NodeFailure http(String provider, int status, String message) {
        String said = provider + " answered " + status + ": " + message;
        if (status == 401 || status == 403) {
            return new NodeFailure(ErrorKind.CREDENTIALS, false, provider + " refused the credential (" + status + "): " + message);
        }
        if (status == 429) {
            return new NodeFailure(ErrorKind.RATE_LIMITED, true, said);
        }
        if (status == 408) {
            return new NodeFailure(ErrorKind.TIMEOUT, true, said);
        }
        if (status >= 500) {
            return new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, said);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("context_length") || lower.contains("context length") || lower.contains("maximum context")
                || lower.contains("too many tokens") || lower.contains("token count")) {
            return new NodeFailure(ErrorKind.HTTP_CLIENT_ERROR, false, provider + ": the prompt is longer than the model takes (" + status
                    + "): " + message);
        }
        return new NodeFailure(ErrorKind.HTTP_CLIENT_ERROR, false, said);
    }

    /** The provider's own words: {@code error.message} of OpenAI and Gemini, {@code error} of Ollama, else the text. */
    private static String message(String body) {
        if (body == null || body.isBlank()) {
            return "(no message)";
        }
        try {
            JsonNode json = WeftJson.mapper().readTree(body);
            JsonNode error = json.path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
        } catch (Exception notJson) {
            // the body as it came
        }
        return body;
    }

    private static String clean(String message, List<String> secrets) {
        String cleaned = message == null ? "" : message;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                cleaned = cleaned.replace(secret, "<secret>");
            }
        }
        cleaned = cleaned.replaceAll("\\s+", " ").strip();
        return cleaned.length() > MESSAGE_CHARS ? cleaned.substring(0, MESSAGE_CHARS) + "…" : cleaned;
    }
}
