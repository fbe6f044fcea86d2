package io.weft.workflow.streaming;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.Vertx;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.platform.api.Paging;
import io.weft.platform.security.Caller;
import io.weft.workflow.executions.ExecutionChanges;
import io.weft.workflow.executions.ExecutionStore;
import io.weft.workflow.executions.ExecutionsResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Server-sent events: one execution's events (replayed from the client's {@code Last-Event-ID},
 * then live, ending after the terminal event), and the tenant's execution status changes (live).
 * Comments keep idle connections alive.
 */
@Path("/api/streaming/executions")
@Authenticated
public class StreamingResource {

    private final ExecutionStore store;
    private final ExecutionChanges changes;
    private final LiveEvents live;
    private final LiveTokens tokens;
    private final Caller caller;
    private final Vertx vertx;
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);
    /** Vert.x timers need at least a millisecond; a keep-alive set shorter than this is raised to it. */
    private static final long MIN_KEEP_ALIVE_MS = 100;
    /** A comment this often keeps proxies from closing a quiet stream. */
    private final long keepAliveMs;

    StreamingResource(ExecutionStore store, ExecutionChanges changes, LiveEvents live, LiveTokens tokens, Caller caller, Vertx vertx,
                      @ConfigProperty(name = "weft.streaming.keep-alive", defaultValue = "15s") Duration keepAlive) {
        this.keepAliveMs = Math.max(MIN_KEEP_ALIVE_MS, keepAlive.toMillis());
        this.store = store;
        this.changes = changes;
        this.live = live;
        this.tokens = tokens;
        this.caller = caller;
        this.vertx = vertx;
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "The execution's changes as server-sent events (id = sequence; resume with Last-Event-ID: what changed"
            + " since), and the text of AI nodes that stream as they produce it (node.tokens events, without an id: live only);"
            + " ends after the terminal event; 204 when the execution has finished and nothing changed after Last-Event-ID")
    public void events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink,
                       @Context Sse sse) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ);
        String executionId = ExecutionsResource.executionId(id);
        long after = lastEventId(lastEventId);
        String status = store.status(tenant, executionId).await().atMost(STORE_TIMEOUT).orElseThrow(ExecutionsResource::notFound);
        boolean finished = ExecutionStore.TERMINAL.contains(status);
        if (finished && changes.after(tenant, executionId, after).await().atMost(STORE_TIMEOUT).isEmpty()) {
            // A browser's EventSource reconnects whenever a stream ends; 204 is what tells it to stop.
            throw new WebApplicationException(Response.noContent().build());
        }
        new ExecutionStream(tenant, executionId, after, sink, sse, store, changes, vertx, keepAliveMs).start(live, tokens, finished);
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The tenant's execution status changes (started, waiting, succeeded, failed, cancelled) as they happen")
    public void statusChanges(@Context SseEventSink sink, @Context Sse sse) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ);
        long[] keepAlive = new long[1];
        AutoCloseable[] subscription = new AutoCloseable[1];
        Runnable close = () -> {
            vertx.cancelTimer(keepAlive[0]);
            try {
                subscription[0].close();
            } catch (Exception ignored) {
                // nothing is left to stop
            }
        };
        // The head goes out before a live event can be sent from the consumer's thread (see ExecutionStream.start).
        sink.send(sse.newEventBuilder().comment("listening").build());
        subscription[0] = live.tenant(tenant.toString(), event -> {
            if (sink.isClosed()) {
                close.run();
                return;
            }
            sink.send(sse.newEventBuilder().name(event.type()).mediaType(MediaType.APPLICATION_JSON_TYPE).data(event.data()).build());
        });
        keepAlive[0] = vertx.setPeriodic(keepAliveMs, timer -> {
            if (sink.isClosed()) {
                close.run();
            } else {
                sink.send(sse.newEventBuilder().comment("keep-alive").build());
            }
        });
    }

    private static long lastEventId(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String trimmed = Paging.bounded("Last-Event-ID", value.trim(), 19);
        if (!trimmed.chars().allMatch(Character::isDigit)) {
            throw Paging.invalid("Last-Event-ID", "must be the id of an event this stream sent");
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw Paging.invalid("Last-Event-ID", "must be the id of an event this stream sent");
        }
    }
}
