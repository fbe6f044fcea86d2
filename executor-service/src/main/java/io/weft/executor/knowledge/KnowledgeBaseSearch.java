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
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Searches a tenant's knowledge base through inference-service's API, with the executor's service
 * token for the tenant (scope {@code documents:read}): the same search, checks and tenant wall as a
 * user's. What inference-service refuses becomes the node's failure, with its reason.
 */
@ApplicationScoped
public class KnowledgeBaseSearch {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What to look for; null settings take the knowledge base's defaults. */
    public record Request(String query, Integer k, String mode, JsonNode filter) {
    }

    private final ServiceCalls calls;
    private final URI inference;

    KnowledgeBaseSearch(ServiceCalls calls, @ConfigProperty(name = "weft.executor.inference-url") URI inference) {
        this.calls = calls;
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
        ServiceCalls.Answer answer;
        try {
            answer = calls.call(HttpMethod.POST, inference, "/api/inference/knowledge-bases/" + knowledgeBaseId + "/search",
                    Optional.of(UUID.fromString(tenantId)), Map.of("Content-Type", "application/json"), Buffer.buffer(body.toString()),
                    TIMEOUT).await().atMost(TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, "knowledge base " + knowledgeBaseId
                    + " cannot be searched now: inference-service is unavailable");
        }
        String detail = answer.detail();
        return switch (answer.status()) {
            case 200 -> items(answer);
            case 404 -> throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "knowledge base " + knowledgeBaseId
                    + " does not exist in this organisation");
            case 400, 409, 422 -> throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "knowledge base " + knowledgeBaseId
                    + " cannot be searched so: " + detail);
            case 429 -> throw new NodeFailure(ErrorKind.RATE_LIMITED, true, "knowledge base " + knowledgeBaseId + ": " + detail);
            case 401, 403 -> throw new NodeFailure(ErrorKind.INTERNAL, false, "this executor may not search knowledge bases"
                    + " (inference-service answered " + answer.status() + ": " + detail + ")");
            default -> throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, answer.status() >= 500, "knowledge base " + knowledgeBaseId
                    + " cannot be searched: inference-service answered " + answer.status());
        };
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
