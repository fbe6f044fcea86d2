package io.weft.executor.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Searches a tenant's knowledge base through inference-service's search API ({@link InferenceApi},
 * scope {@code documents:read}).
 */
@ApplicationScoped
public class KnowledgeBaseSearch {

    /** What to look for; null settings take the knowledge base's defaults. */
    public record Request(String query, Integer k, String mode, JsonNode filter) {
    }

    private final InferenceApi inference;

    KnowledgeBaseSearch(InferenceApi inference) {
        this.inference = inference;
    }

    /** The chunks found, best first (inference-service's {@code items}). */
    public JsonNode search(String tenantId, String knowledgeBaseId, Request request) {
        ObjectNode body = WeftJson.mapper().createObjectNode().put("query", request.query());
        if (request.k() != null) {
            body.put("k", request.k());
        }
        if (request.mode() != null) {
            body.put("mode", request.mode());
        }
        if (request.filter() != null && !request.filter().isNull() && !request.filter().isEmpty()) {
            body.set("filter", request.filter());
        }
        ServiceCalls.Answer answer = inference.call(HttpMethod.POST, "/api/inference/knowledge-bases/" + knowledgeBaseId + "/search",
                tenantId, knowledgeBaseId, Map.of("Content-Type", "application/json"), Buffer.buffer(body.toString()), "searched");
        return items(answer);
    }

    private static JsonNode items(ServiceCalls.Answer answer) {
        try {
            JsonNode items = WeftJson.mapper().readTree(answer.body().toString()).path("items");
            if (items.isArray()) {
                return items;
            }
        } catch (Exception e) {
            // said below
        }
        throw new NodeFailure(ErrorKind.INTERNAL, false, "inference-service answered a search without its items");
    }
}
