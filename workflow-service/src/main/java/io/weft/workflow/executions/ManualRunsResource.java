package io.weft.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import io.weft.workflow.workflows.CompilationProblem;
import io.weft.workflow.workflows.CompilerClient;
import io.weft.workflow.workflows.Workflow;
import io.weft.workflow.workflows.WorkflowIds;
import io.weft.workflow.workflows.WorkflowStore;
import io.weft.workflow.workflows.WorkflowVersion;
import io.weft.workflow.tiers.Tiers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Manual runs: the active version with the given input, or a named version (a test run, compiled
 * on the spot). The answer comes once the request is on Kafka, so an accepted run is never lost.
 */
@Path("/api/orchestrator/workflows/{id}/run")
@Authenticated
public class ManualRunsResource {
    /**
     * @param input         the trigger's data: an object (one item) or an array (one item each); {} when absent
     * @param version       a version to test-run instead of the active one
     * @param triggerNodeId the trigger to start from; the first Manual Trigger (else the first trigger) when absent
     */
    public record RunRequest(JsonNode input, Integer version, String triggerNodeId) {
    }

    public record Accepted(String executionId, String workflowId, int workflowVersion, String status) {
    }

    private final WorkflowStore workflows;
    private final CompilerClient compiler;
    private final Executors executors;
    private final Tiers tiers;
    private final Caller caller;
    private final Clock clock;
    /** How deep runs may start each other (an agent's workflow tool calling a workflow whose agent calls another…). */
    private final int maxCallDepth;

    ManualRunsResource(WorkflowStore workflows, CompilerClient compiler, Executors executors, Tiers tiers, Caller caller, Clock clock,
                       @ConfigProperty(name = "weft.runs.max-call-depth", defaultValue = "8") int maxCallDepth) {
        this.maxCallDepth = maxCallDepth;
        this.tiers = tiers;
        this.workflows = workflows;
        this.compiler = compiler;
        this.executors = executors;
        this.caller = caller;
        this.clock = clock;
    }

    /** The version to run and its plan, or the answer that refuses the run. */
    private record Target(WorkflowVersion version, String planHash, Response refusal) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run the workflow now (its active version, or ?version in the body for a test run); 202 with the execution id."
            + " With an Idempotency-Key, the same key within 24 hours answers the same execution")
    public Uni<Response> run(@PathParam("id") String id, RunRequest body, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
                             @HeaderParam(CALL_DEPTH_HEADER) String callDepthHeader, @Context HttpServerRequest http) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.EXECUTIONS_RUN);
        int depth = callDepth(callDepthHeader);
        UUID workflowId = WorkflowIds.parse(id);
        RunRequest run = body == null ? new RunRequest(null, null, null) : body;
        JsonNode input = input(run.input());
        if (run.version() != null && run.version() < 1) {
            throw Paging.invalid("version", "must be a version number (1 or more)");
        }
        IdempotencyKeys.Key key = IdempotencyKeys.of(idempotencyKey, "run", workflowId, input, run.version(), run.triggerNodeId());
        return workflows.find(tenant, workflowId)
                .map(found -> found.orElseThrow(WorkflowIds::notFound))
                .chain(workflow -> target(tenant, workflow, run.version(), http))
                .chain(target -> target.refusal() != null ? Uni.createFrom().item(target.refusal())
                        : start(tenant, workflowId, target, input, run.triggerNodeId(), key, depth));
    }

    /** Sent by the executor when a run starts another (an agent's workflow tool): how many runs stand above the new one. */
    static final String CALL_DEPTH_HEADER = "X-Weft-Call-Depth";

    /**
     * The depth a service says the run is at (users' and API keys' runs are top-level, whatever they
     * send); a run deeper than {@code weft.runs.max-call-depth} is refused, so that workflows that call
     * each other in a cycle stop instead of filling the tenant's runs.
     */
    private int callDepth(String header) {
        if (header == null || !"service".equals(caller.authentication())) {
            return 0;
        }
        String value = header.strip();
        if (value.isEmpty() || value.length() > 4 || !value.chars().allMatch(Character::isDigit)) {
            throw Paging.invalid(CALL_DEPTH_HEADER, "must be a whole number");
        }
        int depth = Integer.parseInt(value);
        if (depth > maxCallDepth) {
            throw new ProblemException(ProblemType.CONFLICT, "this run would start " + depth + " runs below the one that began the chain;"
                    + " workflows that start each other stop at " + maxCallDepth + " (weft.runs.max-call-depth): look for a workflow"
                    + " that calls itself through others");
        }
        return depth;
    }

    /** The version to run and its plan, or the 422 answer when a named version does not compile. */
    private Uni<Target> target(UUID tenant, Workflow workflow, Integer wanted, HttpServerRequest http) {
        if (wanted == null && workflow.activeVersion() == null) {
            throw new ProblemException(ProblemType.CONFLICT, "the workflow is not active: activate a version, or name one to test-run");
        }
        int number = wanted != null ? wanted : workflow.activeVersion();
        Uni<WorkflowVersion> version = workflows.version(tenant, workflow.id(), number)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("version " + number)));
        if (wanted == null) {
            return version.map(found -> new Target(found, workflow.activePlanHash(), null));
        }
        return version.chain(found -> compiler.compile(tenant, found.definition()).map(compiled -> compiled.compiles()
                ? new Target(found, compiled.planHash(), null)
                : new Target(found, null, CompilationProblem.response("version " + number + " does not compile, so it cannot run", http.path(),
                        compiled.diagnostics()))));
    }

    private Uni<Response> start(UUID tenant, UUID workflowId, Target target, JsonNode input, String triggerNodeId,
                                IdempotencyKeys.Key key, int depth) {
        String trigger = trigger(target.version().definition(), triggerNodeId);
        String executionId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        ExecutionRequested request = new ExecutionRequested(UUID.randomUUID().toString(), tenant.toString(), executionId,
                workflowId.toString(), target.version().version(), target.planHash(), TriggerKind.MANUAL, trigger, input,
                caller.subject(), null, null, now).atCallDepth(depth);
        return tiers.record(tenant, caller.tierClaim()).chain(() -> executors.queueOnce(request, key))
                .map(queued -> {
                    ExecutionRequested run = queued.request();
                    return accepted(new Accepted(run.executionId(), run.workflowId(), run.workflowVersion(), queued.status()), queued);
                });
    }

    /** 202 with the execution's address; a replayed answer says so. */
    static Response accepted(Object body, Executors.Queued queued) {
        Response.ResponseBuilder answer = Response.accepted(body)
                // Relative, so that it holds behind the gateway too.
                .header(HttpHeaders.LOCATION, "/api/orchestrator/executions/" + queued.request().executionId());
        if (queued.replayed()) {
            answer.header(IdempotencyKeys.REPLAYED_HEADER, "true");
        }
        return answer.build();
    }

    private static JsonNode input(JsonNode input) {
        if (input == null || input.isNull()) {
            return WeftJson.mapper().createObjectNode();
        }
        if (!input.isObject() && !input.isArray()) {
            throw Paging.invalid("input", "must be a JSON object (one item) or an array (one item each)");
        }
        return input;
    }

    /** The named trigger (which must be a trigger of the version), else the first Manual Trigger, else the plan's first trigger. */
    private static String trigger(JsonNode definition, String wanted) {
        if (wanted != null) {
            for (JsonNode node : definition.path("nodes")) {
                if (wanted.equals(node.path("id").asText(null)) && node.path("type").asText("").startsWith("trigger.")) {
                    return wanted;
                }
            }
            throw Paging.invalid("triggerNodeId", "must be the id of a trigger node of the version that runs");
        }
        for (JsonNode node : definition.path("nodes")) {
            if ("trigger.manual".equals(node.path("type").asText())) {
                return node.path("id").asText();
            }
        }
        return null;
    }
}
