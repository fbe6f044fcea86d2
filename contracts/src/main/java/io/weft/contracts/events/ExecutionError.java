package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A typed failure: the engine decides on {@code kind} and {@code retryable}, never on the message.
 *
 * @param details kind-specific facts, e.g. {@code {"status": 503}} for HTTP errors; never secrets
 */
public record ExecutionError(ErrorKind kind, String message, boolean retryable, String nodeId, JsonNode details) {
}
