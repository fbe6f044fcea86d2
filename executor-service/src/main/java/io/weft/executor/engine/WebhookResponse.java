package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The answer a Respond to Webhook node sets for the webhook call that started the execution.
 *
 * @param body        JSON, a text node (with a text content type), or null for no body
 * @param contentType the body's media type, or null without a body
 */
public record WebhookResponse(int statusCode, Map<String, String> headers, JsonNode body, String contentType) {

    public WebhookResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
