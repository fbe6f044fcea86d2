package io.weft.logs.executions;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.logs.api.Params;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** One execution's timeline: each node's attempts with times, durations, errors and console output. */
@Path("/api/logs/executions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class TimelineResource {

    /** One attempt of a node: when it started and ended, how, and what its scripts wrote. */
    public record Attempt(int attempt, String status, Instant startedAt, Instant endedAt, Long durationMs, Integer itemCount,
                          String errorKind, String errorMessage, List<Object> console) {
    }

    public record Node(String nodeId, String nodeName, String nodeType, String status, List<Attempt> attempts) {
    }

    /**
     * @param status the last execution-level event's: running, waiting, succeeded, failed or cancelled; dead-lettered when the
     *               logs hold only dead letters of it
     */
    public record Timeline(String executionId, String workflowId, String status, Instant startedAt, Instant finishedAt, Long durationMs,
                           List<Node> nodes, List<TimelineStore.Event> events, List<TimelineStore.DeadLetter> deadLetters) {
    }

    private final TimelineStore store;
    private final Caller caller;

    TimelineResource(TimelineStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "The execution's timeline: each node's attempts (start, end, duration, error, console output) and"
            + " every event in order")
    public Uni<Timeline> timeline(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.LOGS_READ);
        if (id.length() > Params.MAX_ID || id.indexOf('\0') >= 0) {
            throw ProblemException.notFound("execution");
        }
        return store.find(tenant, id).map(found -> {
            if (found == null) {
                throw ProblemException.notFound("execution");
            }
            return timeline(id, found);
        });
    }

    static Timeline timeline(String executionId, TimelineStore.Found found) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, Map<Integer, Attempt>> attempts = new LinkedHashMap<>();
        String status = "running";
        Instant startedAt = null;
        Instant finishedAt = null;
        Long duration = null;
        for (TimelineStore.Event event : found.events()) {
            switch (event.type()) {
                case "execution.started" -> {
                    startedAt = startedAt == null ? event.occurredAt() : startedAt;
                    status = "running";
                }
                case "execution.waiting" -> status = "waiting";
                case "execution.succeeded", "execution.failed", "execution.cancelled" -> {
                    status = event.type().substring("execution.".length());
                    finishedAt = event.occurredAt();
                    duration = event.durationMs();
                }
                default -> {
                }
            }
            if (event.nodeId() == null || !event.type().startsWith("node.")) {
                continue;
            }
            Node node = nodes.computeIfAbsent(event.nodeId(), key -> new Node(key, event.nodeName(), event.nodeType(), null, new ArrayList<>()));
            Map<Integer, Attempt> byAttempt = attempts.computeIfAbsent(event.nodeId(), key -> new LinkedHashMap<>());
            int number = event.attempt() == null ? 1 : event.attempt();
            Attempt known = byAttempt.get(number);
            // a fast node has no "node.started" row (contract v2 sends its start with its end): its start is its end less its duration
            Instant began = known != null ? known.startedAt()
                    : event.durationMs() == null ? null : event.occurredAt().minusMillis(event.durationMs());
            Attempt attempt = switch (event.type()) {
                case "node.started" -> new Attempt(number, "running", event.occurredAt(), null, null, null, null, null, null);
                case "node.succeeded" -> new Attempt(number, "succeeded", began, event.occurredAt(),
                        event.durationMs(), event.itemCount(), null, null, event.console());
                case "node.failed" -> new Attempt(number, "failed", began, event.occurredAt(),
                        event.durationMs(), null, event.errorKind(), event.errorMessage(), event.console());
                case "node.retrying" -> new Attempt(number, "retrying", known == null ? null : known.startedAt(), event.occurredAt(),
                        null, null, event.errorKind(), event.errorMessage(), null);
                default -> known;
            };
            if (attempt != null) {
                byAttempt.put(number, attempt);
            }
            nodes.put(event.nodeId(), new Node(node.nodeId(), node.nodeName() != null ? node.nodeName() : event.nodeName(),
                    node.nodeType() != null ? node.nodeType() : event.nodeType(), attempt != null ? attempt.status() : node.status(),
                    node.attempts()));
        }
        if (startedAt == null && finishedAt == null && !found.deadLetters().isEmpty()) {
            status = "dead-lettered";
        }
        List<Node> withAttempts = nodes.values().stream()
                .map(node -> new Node(node.nodeId(), node.nodeName(), node.nodeType(), node.status(),
                        List.copyOf(attempts.get(node.nodeId()).values())))
                .toList();
        return new Timeline(executionId, found.workflowId(), status, startedAt, finishedAt, duration, withAttempts, found.events(),
                found.deadLetters());
    }
}
