package io.weft.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.TriggerKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events as the fleet publishes them, for one execution of a test tenant. */
public final class Events {
    private final String tenant;
    private final String execution = UUID.randomUUID().toString();
    private final String workflow;
    private final Instant start;

    public Events(UUID tenant, String workflow, Instant start) {
        this.tenant = tenant.toString();
        this.workflow = workflow;
        this.start = start;
    }

    public String execution() {
        return execution;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private Instant at(long millis) {
        return start.plusMillis(millis);
    }

    public ExecutionEvent.ExecutionStarted started(long seq) {
        return new ExecutionEvent.ExecutionStarted(id(), tenant, execution, workflow, seq, 3, "plan", TriggerKind.WEBHOOK, "exec-1", false,
                at(seq));
    }

    /** A checkpoint flush's event of one node transition (contract v2 batches them; see {@link #progressed}). */
    public ExecutionEvent.NodesProgressed nodeStarted(long seq, String node, int attempt) {
        return progressed(seq, running(node, attempt, at(seq * 10)));
    }

    public ExecutionEvent.NodesProgressed nodeSucceeded(long seq, String node, int attempt, long duration, List<ConsoleLine> console) {
        return progressed(seq, succeeded(node, attempt, at(seq * 10), duration, console));
    }

    public ExecutionEvent.NodesProgressed nodeRetrying(long seq, String node, int attempt, String message) {
        return progressed(seq, new NodeTransition(node, node + " name", "core.http", NodeTransition.Status.RETRYING, attempt, null,
                at(seq * 10), at(seq * 10), 0L, null, null, null, error(ErrorKind.HTTP_SERVER_ERROR, message, node, null), null,
                at(seq * 10 + 5), List.of()));
    }

    public ExecutionEvent.NodesProgressed nodeFailed(long seq, String node, int attempt, long duration, String message, JsonNode details) {
        return progressed(seq, new NodeTransition(node, node + " name", "core.http", NodeTransition.Status.FAILED, attempt, null,
                at(seq * 10).minusMillis(duration), at(seq * 10), duration, null, null, null,
                error(ErrorKind.HTTP_CLIENT_ERROR, message, node, details), ExecutionEvent.FailureHandling.FAIL_EXECUTION, null,
                List.of()));
    }

    public NodeTransition running(String node, int attempt, Instant at) {
        return NodeTransition.running(node, node + " name", "core.http", attempt, tenant + ":" + execution + ":" + node + ":" + attempt, at);
    }

    public NodeTransition succeeded(String node, int attempt, Instant finishedAt, long duration, List<ConsoleLine> console) {
        return new NodeTransition(node, node + " name", "core.http", NodeTransition.Status.SUCCEEDED, attempt, null,
                finishedAt.minusMillis(duration), finishedAt, duration, 1, null, null, null, null, null, console);
    }

    /** One checkpoint flush: several transitions in one event. */
    public ExecutionEvent.NodesProgressed progressed(long seq, NodeTransition... nodes) {
        return new ExecutionEvent.NodesProgressed(id(), tenant, execution, workflow, seq, List.of(nodes), at(seq * 10));
    }

    /** The end, carrying the last checkpoint's transitions. */
    public ExecutionEvent.ExecutionSucceeded succeeded(long seq, long duration, NodeTransition... nodes) {
        return new ExecutionEvent.ExecutionSucceeded(id(), tenant, execution, workflow, seq, duration, null, List.of(nodes), at(seq * 10));
    }

    public Instant instant(long millis) {
        return at(millis);
    }

    public ExecutionEvent.ExecutionFailed failed(long seq, long duration, String node, String message) {
        return new ExecutionEvent.ExecutionFailed(id(), tenant, execution, workflow, seq, duration, node,
                error(ErrorKind.HTTP_CLIENT_ERROR, message, node, null), List.of(), at(seq * 10));
    }

    public DeadLetter deadLetter(String message, String preview) {
        return new DeadLetter(id(), tenant, execution, "weft.execution.requests", 0, 42, DeadLetter.Reason.CRASHED_EXECUTOR_REPEATEDLY,
                message, preview, 3, at(999));
    }

    public static AuditEvent audit(UUID tenant, String actor, String action, String objectId, JsonNode details, Instant at) {
        return new AuditEvent(id(), tenant == null ? null : tenant.toString(), new AuditEvent.Actor(AuditEvent.ActorType.USER, actor),
                action, "credential", objectId, AuditEvent.Outcome.SUCCESS, "203.0.113.7", details, at);
    }

    private static ExecutionError error(ErrorKind kind, String message, String node, JsonNode details) {
        return new ExecutionError(kind, message, kind.retryableByDefault(), node, details);
    }
}
