package io.weft.workflow.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks executor-service to look for a polling trigger's news ({@code /internal/trigger-polls}): the
 * executor alone resolves the tenant's credentials. A look that fails (the provider refused, the
 * executors are down) is a failed {@link Uni} with what was said.
 */
@ApplicationScoped
public class TriggerPolls {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a look found: the new items, oldest first, and the state for the next look. */
    public record Look(List<JsonNode> items, JsonNode state) {
    }

    private final ServiceCalls calls;
    private final URI executors;

    TriggerPolls(ServiceCalls calls, @ConfigProperty(name = "weft.workflow.executor-url") URI executors) {
        this.calls = calls;
        this.executors = executors;
    }

    /** One look for the trigger {@code node} (as defined) of the tenant's workflow, from the last look's {@code state}. */
    public Uni<Look> look(UUID tenant, UUID workflowId, JsonNode node, JsonNode state) {
        ObjectNode body = WeftJson.mapper().createObjectNode().put("workflowId", workflowId.toString())
                .put("nodeId", node.path("id").asText()).put("type", node.path("type").asText())
                .put("typeVersion", node.path("typeVersion").asInt(1));
        body.set("parameters", node.path("parameters").isObject() ? node.path("parameters") : WeftJson.mapper().createObjectNode());
        Iterator<JsonNode> credentials = node.path("credentials").elements();
        body.put("credentialId", credentials.hasNext() ? credentials.next().path("id").asText(null) : null);
        body.set("state", state);
        return calls.call(HttpMethod.POST, executors, "/internal/trigger-polls", Optional.of(tenant), Map.of("Content-Type", "application/json"),
                        Buffer.buffer(body.toString()), TIMEOUT)
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw new IllegalStateException("executor-service answered " + answer.status() + ": " + answer.detail());
                    }
                    try {
                        JsonNode found = WeftJson.mapper().readTree(answer.body().getBytes());
                        List<JsonNode> items = new ArrayList<>();
                        found.path("items").forEach(items::add);
                        return new Look(items, found.path("state"));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("executor-service answered a look that is not JSON", e);
                    }
                });
    }
}
