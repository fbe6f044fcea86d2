package io.weft.workflow.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.live.TokenChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;

/**
 * The answer of a webhook call whose Respond to Webhook node streams: NDJSON, one line per chunk of
 * an AI node's text as the executor publishes it ({@code {"type":"token","nodeId":…,"item":…,"text":…}}),
 * then the Respond node's answer ({@code {"type":"end","statusCode":…,"contentType":…,"body":…}}),
 * or {@code {"type":"error","message":…}} when the run fails, is cancelled or does not answer in time
 * once the stream has begun. The head (200) goes out with the first line; until a first token or the
 * run's answer comes, nothing is decided, so a run that fails before either is answered with a problem
 * as a call that does not stream is.
 * <p>
 * Lines that come before the response is attached wait; every write happens on the request's Vert.x
 * context, in order. When the answer ends or the caller goes away, {@link #release} stops listening.
 */
public final class StreamedAnswer {
    public static final String MEDIA_TYPE = "application/x-ndjson";

    private final String executionId;
    private final CompletableFuture<Optional<ExecutionEvent>> first = new CompletableFuture<>();
    private final List<byte[]> pending = new ArrayList<>();
    private final List<Runnable> onRelease = new ArrayList<>();
    private ServerHttpResponse response;
    private Context context;
    private boolean ended;
    private boolean released;

    StreamedAnswer(String executionId) {
        this.executionId = executionId;
    }

    /**
     * Completes with the first thing that happens: empty when a token came (the stream begins), the
     * run's answer or end when that came first; exceptionally with a {@link TimeoutException}.
     */
    CompletableFuture<Optional<ExecutionEvent>> first() {
        return first;
    }

    /** What to stop when the answer ends or the caller leaves (subscriptions, the timer). */
    synchronized void onRelease(Runnable release) {
        if (released) {
            release.run();
        } else {
            onRelease.add(release);
        }
    }

    void token(TokenChunk chunk) {
        first.complete(Optional.empty());
        ObjectNode line = WeftJson.mapper().createObjectNode().put("type", "token").put("nodeId", chunk.nodeId())
                .put("item", chunk.item()).put("text", chunk.text());
        write(line, false);
    }

    /** The run answered (its Respond node) or ended: the stream's last line. */
    void finish(ExecutionEvent event) {
        first.complete(Optional.of(event));
        if (event instanceof ExecutionEvent.WebhookResponded responded) {
            ObjectNode line = WeftJson.mapper().createObjectNode().put("type", "end").put("statusCode", responded.statusCode())
                    .put("contentType", responded.contentType() == null ? "application/json" : responded.contentType());
            line.set("body", responded.body());
            write(line, true);
            return;
        }
        String why = switch (event) {
            case ExecutionEvent.ExecutionSucceeded succeeded -> "the workflow finished without answering (no Respond to Webhook node ran)";
            case ExecutionEvent.ExecutionCancelled cancelled -> "the execution was cancelled before it answered";
            default -> "the workflow failed before it answered";
        };
        error(why + "; execution " + executionId);
    }

    void timedOut(long responseTimeoutMs) {
        first.completeExceptionally(new TimeoutException());
        error("the workflow did not answer within " + responseTimeoutMs + " ms; execution " + executionId + " goes on");
    }

    private void error(String message) {
        write(WeftJson.mapper().createObjectNode().put("type", "error").put("message", message), true);
    }

    private void write(ObjectNode line, boolean last) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = last;
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (response == null) {
                pending.add(bytes);
            } else {
                send(bytes, last);
            }
        }
        if (last) {
            release();
        }
    }

    /** Called by the entity's writer on the request's event loop: from now on lines go straight out. */
    synchronized void attach(ServerHttpResponse attached) {
        this.response = attached;
        this.context = Vertx.currentContext();
        attached.setChunked(true);
        attached.addCloseHandler(this::release);
        for (int i = 0; i < pending.size(); i++) {
            send(pending.get(i), ended && i == pending.size() - 1);
        }
        pending.clear();
    }

    private void send(byte[] bytes, boolean last) {
        ServerHttpResponse out = response;
        Runnable write = () -> {
            if (out.closed()) {
                return;
            }
            if (last) {
                out.end(bytes);
            } else {
                out.write(bytes);
            }
        };
        if (context == null) {
            write.run();
        } else {
            context.runOnContext(ignored -> write.run());
        }
    }

    /** Stops listening; the execution goes on. Safe to call again. */
    void release() {
        List<Runnable> releases;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            releases = List.copyOf(onRelease);
            onRelease.clear();
        }
        releases.forEach(Runnable::run);
    }
}
