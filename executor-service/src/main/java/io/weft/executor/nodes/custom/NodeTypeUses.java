package io.weft.executor.nodes.custom;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which active workflow versions use a version of a custom node type, asked of workflow-service
 * (which owns the workflows) with a service token for the tenant. When it cannot answer, nothing is
 * deleted.
 */
@ApplicationScoped
public class NodeTypeUses {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ServiceCalls calls;
    private final URI workflows;

    NodeTypeUses(ServiceCalls calls, @ConfigProperty(name = "weft.executor.workflow-url") URI workflows) {
        this.calls = calls;
        this.workflows = workflows;
    }

    /** "Name (id, version n)" of each workflow whose active version has a node of this type and version. */
    public List<String> activeWorkflowsUsing(String tenant, String type, int version) {
        ServiceCalls.Answer answer;
        try {
            answer = calls.call(HttpMethod.GET, workflows, "/internal/node-type-uses/" + URLEncoder.encode(type, StandardCharsets.UTF_8)
                    + "/" + version, Optional.of(UUID.fromString(tenant)), Map.of(), null, TIMEOUT).await().atMost(TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            throw unavailable();
        }
        if (answer.status() != 200) {
            throw unavailable();
        }
        try {
            List<String> uses = new ArrayList<>();
            for (JsonNode use : WeftJson.mapper().readTree(answer.body().getBytes()).path("workflows")) {
                uses.add(use.path("name").asText() + " (" + use.path("workflowId").asText() + ", version " + use.path("activeVersion").asInt() + ")");
            }
            return uses;
        } catch (Exception e) {
            throw unavailable();
        }
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                "workflow-service cannot say whether active workflows use this node type version, so it is not deleted; try again shortly");
    }
}
