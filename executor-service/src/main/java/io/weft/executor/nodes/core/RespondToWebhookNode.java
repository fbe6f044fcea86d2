package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.WebhookResponse;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sets the answer of the webhook call that started the execution — the first item, all items,
 * a JSON value or a text, with a status and headers — and passes its items on. The answer is
 * published as {@code WebhookResponded} when the node runs; the webhook's side (orchestration)
 * turns it into the HTTP response.
 */
@ApplicationScoped
public class RespondToWebhookNode extends TypedNodeType<RespondToWebhookNode.Parameters> {
    /** Answers ride on an event: larger ones belong in a binary payload, not here. */
    static final int MAX_BODY_BYTES = 512 * 1024;
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    /**
     * @param respondWith {@code firstItem}, {@code allItems}, {@code json}, {@code text} or {@code noData}
     * @param headers     an object of header names and values, or null
     * @param json        with respondWith json: the body (null when left out)
     * @param stream      read by workflow-service, which frames the call's answer; the node answers the same either way
     */
    public record Parameters(String respondWith, int statusCode, JsonNode headers, JsonNode json, String text, boolean stream) {
    }

    public RespondToWebhookNode() {
        super("core.respondToWebhook", 1, Parameters.class);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        Parameters parameters = parameters(run);
        int status = parameters.statusCode();
        if (status < 100 || status > 599) {
            throw invalid(run, "statusCode must be from 100 to 599");
        }
        JsonNode body;
        String contentType = JSON;
        switch (parameters.respondWith()) {
            case "firstItem" -> body = run.items().isEmpty() ? JsonNodeFactory.instance.objectNode() : run.items().get(0).json();
            case "allItems" -> {
                ArrayNode all = JsonNodeFactory.instance.arrayNode();
                run.items().forEach(item -> all.add(item.json()));
                body = all;
            }
            case "json" -> body = parameters.json() == null ? JsonNodeFactory.instance.nullNode() : parameters.json();
            case "text" -> {
                body = TextNode.valueOf(parameters.text());
                contentType = TEXT;
            }
            case "noData" -> {
                body = null;
                contentType = null;
            }
            default -> throw invalid(run, "respondWith must be firstItem, allItems, json, text or noData");
        }
        if (body != null && (body.isTextual() ? body.asText() : body.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > MAX_BODY_BYTES) {
            throw invalid(run, "the answer is larger than " + MAX_BODY_BYTES + " bytes");
        }
        run.respond(new WebhookResponse(status, headers(run, parameters.headers()), body, contentType));
        return NodeOutput.main(run.items());
    }

    /** Header names must be HTTP tokens and values must not break the header block (no CR, LF or NUL). */
    private static Map<String, String> headers(NodeRun run, JsonNode headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (headers == null || headers.isNull()) {
            return kept;
        }
        if (!headers.isObject() || headers.size() > 50) {
            throw invalid(run, "headers must be an object of at most 50 names");
        }
        headers.fields().forEachRemaining(header -> {
            String value = header.getValue().isTextual() ? header.getValue().asText() : header.getValue().toString();
            if (!HEADER_NAME.matcher(header.getKey()).matches() || value.length() > 8192
                    || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw invalid(run, "header \"" + abbreviate(header.getKey()) + "\" is not a valid HTTP header name and value");
            }
            kept.put(header.getKey(), value);
        });
        return kept;
    }

    private static NodeFailure invalid(NodeRun run, String message) {
        return new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": " + message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
