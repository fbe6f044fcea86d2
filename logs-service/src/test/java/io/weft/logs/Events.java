package io.weft.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
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

    public ExecutionEvent.NodeStarted nodeStarted(long seq, String node, int attempt) {
        return new ExecutionEvent.NodeStarted(id(), tenant, execution, workflow, seq, node, node + " name", "core.http", attempt,
                tenant + ":" + execution + ":" + node + ":" + attempt, at(seq * 10));
    }

    public ExecutionEvent.NodeSucceeded nodeSucceeded(long seq, String node, int attempt, long duration, List<ConsoleLine> console) {
        return new ExecutionEvent.NodeSucceeded(id(), tenant, execution, workflow, seq, node, node + " name", attempt, duration, 1, null,
                null, console, at(seq * 10));
    }

    public ExecutionEvent.NodeRetrying nodeRetrying(long seq, String node, int attempt, String message) {
        return new ExecutionEvent.NodeRetrying(id(), tenant, execution, workflow, seq, node, node + " name", attempt, at(seq * 10 + 5),
                error(ErrorKind.HTTP_SERVER_ERROR, message, node, null), at(seq * 10));
    }

    public ExecutionEvent.NodeFailed nodeFailed(long seq, String node, int attempt, long duration, String message, JsonNode details) {
        return new ExecutionEvent.NodeFailed(id(), tenant, execution, workflow, seq, node, node + " name", attempt, duration,
                error(ErrorKind.HTTP_CLIENT_ERROR, message, node, details), ExecutionEvent.FailureHandling.FAIL_EXECUTION, List.of(),
                at(seq * 10));
    }

    public ExecutionEvent.ExecutionSucceeded succeeded(long seq, long duration) {
        return new ExecutionEvent.ExecutionSucceeded(id(), tenant, execution, workflow, seq, duration, null, List.of(), at(seq * 10));
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
