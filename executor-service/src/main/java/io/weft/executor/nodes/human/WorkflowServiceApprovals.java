package io.weft.executor.nodes.human;

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
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link Approvals} at workflow-service's internal endpoints, with a service token for the run's tenant. */
@ApplicationScoped
public class WorkflowServiceApprovals implements Approvals {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceCalls calls;
    private final URI workflows;

    WorkflowServiceApprovals(ServiceCalls calls, @ConfigProperty(name = "weft.executor.workflow-url") URI workflows) {
        this.calls = calls;
        this.workflows = workflows;
    }

    @Override
    public Approval open(String tenantId, ObjectNode request) {
        return call(tenantId, "/internal/approvals", request);
    }

    @Override
    public Approval settle(String tenantId, String executionId, String nodeId) {
        return call(tenantId, "/internal/approvals/settle", WeftJson.mapper().createObjectNode().put("executionId", executionId).put("nodeId", nodeId));
    }

    private Approval call(String tenantId, String path, ObjectNode body) {
        ServiceCalls.Answer answer;
        try {
            answer = calls.call(HttpMethod.POST, workflows, path, Optional.of(UUID.fromString(tenantId)), Map.of("Content-Type", "application/json"),
                    Buffer.buffer(body.toString()), TIMEOUT).await().atMost(TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, "the approval cannot be reached now: workflow-service is unavailable");
        }
        if (answer.status() != 200 && answer.status() != 201) {
            throw new NodeFailure(answer.status() >= 500 ? ErrorKind.HTTP_SERVER_ERROR : ErrorKind.INVALID_PARAMETERS, answer.status() >= 500,
                    "workflow-service answered " + answer.status() + " about the approval: " + answer.detail());
        }
        try {
            JsonNode view = WeftJson.mapper().readTree(answer.body().getBytes());
            return new Approval(view.path("id").asText(), view.path("status").asText(), Instant.parse(view.path("expiresAt").asText()), view);
        } catch (Exception e) {
            throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, "workflow-service answered an approval that cannot be read");
        }
    }
}
