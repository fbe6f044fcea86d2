package io.weft.workflow.streaming;

import io.vertx.core.Vertx;
import io.weft.contracts.events.EventType;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.live.TokenChunk;
import io.weft.workflow.executions.ExecutionChanges;
import io.weft.workflow.executions.ExecutionStore;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One client's stream of one execution: what changed after the last event the client has (its
 * {@code Last-Event-ID}), then each change, in sequence order, until the terminal event. The read
 * model is the source ({@link ExecutionChanges}; whatever instance the client reconnects to, it
 * reads the same); a live event of the execution on this instance only rings the bell to read it at
 * once, and a poll every half second covers a change stored after its bell rang. It ends after the
 * terminal event, or when the execution is deleted or found finished without one.
 */
final class ExecutionStream {
    private static final Logger LOG = Logger.getLogger(ExecutionStream.class);
    private static final long POLL_MS = 500;
    /** Every ten seconds the stream checks that its execution still exists (it may be deleted while it waits). */
    private static final int POLLS_BETWEEN_CHECKS = 20;
    private static final Set<String> TERMINAL = EventType.terminalCeTypes();

    private final UUID tenant;
    private final String executionId;
    private final SseEventSink sink;
    private final Sse sse;
    private final ExecutionStore store;
    private final ExecutionChanges changes;
    private final Vertx vertx;
    private final long keepAliveMs;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean closed;
    /** The execution has finished: the stream ends once what is stored has been sent, terminal event or not. */
    private volatile boolean finished;
    private long sent;
    private long polls;
    private volatile AutoCloseable bell;
    private volatile AutoCloseable tokens;
    private volatile long poll = -1;
    private volatile long keepAlive = -1;

    ExecutionStream(UUID tenant, String executionId, long lastEventId, SseEventSink sink, Sse sse, ExecutionStore store,
                    ExecutionChanges changes, Vertx vertx, long keepAliveMs) {
        this.keepAliveMs = keepAliveMs;
        this.tenant = tenant;
        this.executionId = executionId;
        this.sent = lastEventId;
        this.sink = sink;
        this.sse = sse;
        this.store = store;
        this.changes = changes;
        this.vertx = vertx;
    }

    /**
     * Called on the request's thread. The response's head goes out with a first comment before
     * anything else can send: RESTEasy writes the head again after the resource method returns unless
     * it is out already, and a first page read on another thread raced with it ("Response head
     * already sent"), which ended the stream before its first event.
     */
    /** @param finished the execution had finished when the stream was asked for */
    void start(LiveEvents live, LiveTokens liveTokens, boolean finished) {
        this.finished = finished;
        send(sse.newEventBuilder().comment("listening").build());
        if (closed) {
            return;
        }
        bell = live.bell(tenant.toString(), executionId, this::fetch);
        if (!finished) {
            tokens = liveTokens.listen(tenant.toString(), executionId, this::sendTokens);
        }
        poll = vertx.setPeriodic(POLL_MS, id -> {
            if (++polls % POLLS_BETWEEN_CHECKS == 0) {
                endIfGoneOrFinished();
            }
            fetch();
        });
        keepAlive = vertx.setPeriodic(keepAliveMs, id -> send(sse.newEventBuilder().comment("keep-alive").build()));
        if (closed) {
            // closed on another thread (the bell's read found the end) before the timers were set
            release();
            return;
        }
        fetch();
    }

    /** Sends what changed after the last event sent; one read at a time, another right after if asked meanwhile. */
    private void fetch() {
        if (closed) {
            return;
        }
        if (!fetching.compareAndSet(false, true)) {
            again = true;
            return;
        }
        again = false;
        // Only a read that began after the execution was seen finished holds all it will ever have.
        boolean complete = finished;
        changes.after(tenant, executionId, sent).subscribe().with(events -> {
            boolean ended = false;
            for (ExecutionChanges.StreamEvent event : events) {
                if (event.sequence() <= sent) {
                    continue;
                }
                send(sse.newEventBuilder().id(Long.toString(event.sequence())).name(event.type())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(event.data()).build());
                sent = event.sequence();
                ended |= TERMINAL.contains(event.type());
            }
            fetching.set(false);
            if (ended) {
                close();
            } else if (again) {
                fetch();
            } else if (complete) {
                close();
            }
        }, failure -> {
            fetching.set(false);
            LOG.warnf("cannot read the events of %s for a stream: %s", executionId, failure.getMessage());
        });
    }

    /**
     * An AI node's chunk of text as it streams: an event without an id (a client that reconnects
     * resumes from the stored events; chunks are live only, and the node's output holds the text).
     */
    private void sendTokens(TokenChunk chunk) {
        send(sse.newEventBuilder().name(TokenChunk.EVENT_NAME).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(WeftJson.mapper().valueToTree(chunk).toString()).build());
    }

    /**
     * Ends the stream of an execution that was deleted, or that finished without a terminal event
     * (a run admitted but never sent is marked failed after an hour); what is stored is sent first.
     */
    private void endIfGoneOrFinished() {
        store.status(tenant, executionId).subscribe().with(status -> {
            if (status.isEmpty()) {
                close();
            } else if (ExecutionStore.TERMINAL.contains(status.get())) {
                finished = true;
                fetch();
            }
        }, failure -> LOG.debugf("cannot check that %s still exists: %s", executionId, failure.getMessage()));
    }

    private void send(OutboundSseEvent event) {
        if (closed) {
            return;
        }
        if (sink.isClosed()) {
            close();
            return;
        }
        sink.send(event).exceptionally(failure -> {
            close();
            return null;
        });
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        if (!sink.isClosed()) {
            sink.close();
        }
    }

    /** Stops the timers and the bell that are set; safe to call again. */
    private void release() {
        vertx.cancelTimer(poll);
        vertx.cancelTimer(keepAlive);
        for (AutoCloseable subscription : new AutoCloseable[] {bell, tokens}) {
            if (subscription != null) {
                try {
                    subscription.close();
                } catch (Exception ignored) {
                    // nothing is left to stop
                }
            }
        }
    }
}
