package io.weft.workflow.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Webhook Trigger of a workflow's active version, at {@code /webhook/<prefix>/<path>}.
 *
 * @param path       the node's {@code path} parameter, else its id
 * @param respond    immediately | whenLastNodeFinishes | usingRespondNode
 * @param credentialId the credential that authenticates calls (headerToken: httpHeaderAuth, basic: httpBasicAuth,
 *                     hmac: hmacSecret); null when the node names none
 * @param streams    the trigger responds using a Respond to Webhook node and one of the workflow's streams
 *                   ({@code stream}): the call is answered with NDJSON lines as AI nodes produce their text
 */
public record Webhook(UUID tenantId, UUID workflowId, int version, String planHash, String nodeId, String method, String path,
                      String respond, String authentication, long responseTimeoutMs, String credentialId, boolean streams) {

    /** The credential type each authentication mode checks calls against. */
    static String credentialType(String authentication) {
        return switch (authentication) {
            case "headerToken" -> "httpHeaderAuth";
            case "basic" -> "httpBasicAuth";
            case "hmac" -> "hmacSecret";
            default -> null;
        };
    }

    public boolean answersAtOnce() {
        return "immediately".equals(respond);
    }

    /** The enabled Webhook Triggers of a version's definition. */
    static List<Webhook> of(UUID tenantId, UUID workflowId, int version, String planHash, JsonNode definition) {
        List<Webhook> hooks = new ArrayList<>();
        boolean streamingRespond = false;
        for (JsonNode node : definition.path("nodes")) {
            streamingRespond |= "core.respondToWebhook".equals(node.path("type").asText()) && !node.path("disabled").asBoolean(false)
                    && node.path("parameters").path("stream").asBoolean(false);
        }
        for (JsonNode node : definition.path("nodes")) {
            if (!"trigger.webhook".equals(node.path("type").asText()) || node.path("disabled").asBoolean(false)) {
                continue;
            }
            JsonNode parameters = node.path("parameters");
            String id = node.path("id").asText();
            String authentication = parameters.path("authentication").asText("none");
            String slot = credentialType(authentication);
            String credentialId = slot == null ? null : node.path("credentials").path(slot).path("id").asText(null);
            String respond = parameters.path("respond").asText("immediately");
            hooks.add(new Webhook(tenantId, workflowId, version, planHash, id, parameters.path("method").asText("POST"),
                    parameters.path("path").asText(id), respond, authentication, parameters.path("responseTimeoutMs").asLong(30_000),
                    credentialId, streamingRespond && "usingRespondNode".equals(respond)));
        }
        return hooks;
    }
}
