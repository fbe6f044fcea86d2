package io.weft.executor.subworkflows;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Starts runs of a tenant's workflows through workflow-service, as any run starts (its admission,
 * tier limits and held runs), with the executor's service token for the tenant (scope
 * {@code executions:run}). Each start carries an idempotency key: asked again with the same key —
 * a retried or resumed node — workflow-service answers the run it started the first time.
 */
@ApplicationScoped
public class WorkflowRuns {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final ServiceCalls calls;
    private final URI workflows;

    WorkflowRuns(ServiceCalls calls, @ConfigProperty(name = "weft.executor.workflow-url") URI workflows) {
        this.calls = calls;
        this.workflows = workflows;
    }

    /** The header that tells workflow-service how deep below a top-level run the run it starts is. */
    public static final String CALL_DEPTH_HEADER = "X-Weft-Call-Depth";

    /**
     * The execution id of the run of {@code workflowId}'s active version with {@code input} (one item),
     * {@code depth} runs below a top-level run: workflow-service refuses runs nested deeper than it allows,
     * so that workflows calling each other in a cycle stop.
     */
    public String start(String tenantId, String workflowId, JsonNode input, String idempotencyKey, int depth) {
        Buffer body = Buffer.buffer(WeftJson.mapper().createObjectNode().set("input", input).toString());
        ServiceCalls.Answer answer;
        try {
            answer = calls.call(HttpMethod.POST, workflows, "/api/orchestrator/workflows/" + workflowId + "/run",
                    Optional.of(UUID.fromString(tenantId)), Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey,
                            CALL_DEPTH_HEADER, Integer.toString(depth)),
                    body, TIMEOUT).await().atMost(TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, "workflow " + workflowId + " cannot be started now:"
                    + " workflow-service is unavailable");
        }
        String detail = answer.detail();
        return switch (answer.status()) {
            case 200, 201, 202 -> executionId(answer);
            case 400, 404, 409, 422 -> throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "workflow " + workflowId
                    + " cannot run: " + detail);
            case 429 -> throw new NodeFailure(ErrorKind.RATE_LIMITED, true, "workflow " + workflowId + " cannot run now: " + detail);
            case 401, 403 -> throw new NodeFailure(ErrorKind.INTERNAL, false, "this executor may not start runs (workflow-service"
                    + " answered " + answer.status() + ": " + detail + ")");
            default -> throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, answer.status() >= 500, "workflow " + workflowId
                    + " cannot be started: workflow-service answered " + answer.status());
        };
    }

    private static String executionId(ServiceCalls.Answer answer) {
        try {
            String id = WeftJson.mapper().readTree(answer.body().toString()).path("executionId").asText("");
            if (!id.isEmpty()) {
                return id;
            }
        } catch (Exception e) {
            // said below
        }
        throw new NodeFailure(ErrorKind.INTERNAL, false, "workflow-service accepted a run but did not say its execution id");
    }
}
