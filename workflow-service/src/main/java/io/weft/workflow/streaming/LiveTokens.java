package io.weft.workflow.streaming;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.live.TokenChunk;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * AI nodes' token chunks as the executors publish them (Redis pub/sub, one channel per execution),
 * for whoever on this instance watches an execution live: SSE streams and streaming webhook calls.
 * One Redis connection of this instance's own carries every subscription: a channel is subscribed
 * while someone here listens to it and unsubscribed when the last one leaves, so an instance
 * receives only the chunks of the executions it holds connections for. A connection that drops is
 * made again and its channels subscribed again; chunks published meanwhile are missed (the node's
 * output has the whole text).
 */
@ApplicationScoped
public class LiveTokens {
    private static final Logger LOG = Logger.getLogger(LiveTokens.class);
    private static final long RECONNECT_MS = 1_000;

    private final Vertx vertx;
    private final Redis client;
    private final Map<String, Set<Consumer<TokenChunk>>> byChannel = new ConcurrentHashMap<>();
    /** The subscriptions' connection, made on first use; null until then and after it dropped. Guarded by this. */
    private Future<RedisConnection> connection;
    private boolean closed;

    LiveTokens(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
        this.vertx = vertx;
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(hosts).setMaxPoolSize(1)
                .setPoolName("live-tokens"));
    }

    /** The execution's token chunks, given to {@code listener} on a Redis event-loop thread until the handle is closed. */
    public AutoCloseable listen(String tenantId, String executionId, Consumer<TokenChunk> listener) {
        String channel = TokenChunk.channel(tenantId, executionId);
        synchronized (this) {
            Set<Consumer<TokenChunk>> listeners = byChannel.computeIfAbsent(channel, key -> new CopyOnWriteArraySet<>());
            listeners.add(listener);
            if (listeners.size() == 1) {
                send(Request.cmd(Command.SUBSCRIBE).arg(channel));
            }
        }
        return () -> {
            synchronized (this) {
                Set<Consumer<TokenChunk>> listeners = byChannel.get(channel);
                if (listeners != null && listeners.remove(listener) && listeners.isEmpty()) {
                    byChannel.remove(channel);
                    send(Request.cmd(Command.UNSUBSCRIBE).arg(channel));
                }
            }
        };
    }

    /** Sends a command on the subscriptions' connection, in the order of the calls (callers hold the lock). */
    private void send(Request command) {
        connection().onSuccess(open -> open.send(command).onFailure(failure ->
                LOG.warnf("Redis did not take a token subscription change: %s", failure.getMessage())));
    }

    private synchronized Future<RedisConnection> connection() {
        if (connection == null && !closed) {
            connection = client.connect().onSuccess(open -> {
                open.handler(this::onMessage);
                open.exceptionHandler(failure -> dropped(open, failure.getMessage()));
                open.endHandler(ended -> dropped(open, "the connection ended"));
            }).onFailure(failure -> dropped(null, failure.getMessage()));
        }
        return connection == null ? Future.failedFuture("closed") : connection;
    }

    /** Forgets the connection and, while anyone listens, makes another and subscribes its channels again. */
    private void dropped(RedisConnection which, String why) {
        synchronized (this) {
            if (closed || connection == null || (which != null && connection.result() != which)) {
                return;
            }
            connection = null;
        }
        LOG.warnf("live tokens: the Redis subscription connection dropped (%s); live tokens are missed until it is back", why);
        vertx.setTimer(RECONNECT_MS, timer -> {
            synchronized (this) {
                if (!byChannel.isEmpty()) {
                    Request resubscribe = Request.cmd(Command.SUBSCRIBE);
                    byChannel.keySet().forEach(resubscribe::arg);
                    send(resubscribe);
                }
            }
        });
    }

    private void onMessage(Response message) {
        if (message == null || message.size() < 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        Set<Consumer<TokenChunk>> listeners = byChannel.get(message.get(1).toString());
        if (listeners == null || listeners.isEmpty()) {
            return;
        }
        TokenChunk chunk;
        try {
            chunk = WeftJson.mapper().readValue(message.get(2).toString(), TokenChunk.class);
        } catch (Exception e) {
            LOG.warnf("skipping an unreadable token chunk on %s: %s", message.get(1), e.getMessage());
            return;
        }
        for (Consumer<TokenChunk> listener : listeners) {
            try {
                listener.accept(chunk);
            } catch (RuntimeException e) {
                LOG.warnf("a live-token listener failed: %s", e.getMessage());
            }
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        client.close();
    }
}
