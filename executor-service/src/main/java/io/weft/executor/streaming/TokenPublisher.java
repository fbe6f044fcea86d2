package io.weft.executor.streaming;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.live.TokenChunk;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes AI nodes' token chunks to their execution's Redis channel, where the workflow-service
 * instances holding that execution's SSE streams and streaming webhook calls listen. Pub/sub keeps
 * nothing: a chunk nobody listens to is gone, which is what live tokens are (the node's output holds
 * the whole text). A chunk is published on the node's thread and waited for, so one node's chunks
 * reach Redis in order (the client's pool would otherwise send them on several connections); a
 * publish that fails silences the publisher for a few seconds, so that a run never crawls behind
 * an unreachable Redis.
 */
@ApplicationScoped
public class TokenPublisher {
    private static final Logger LOG = Logger.getLogger(TokenPublisher.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(1);
    private static final long QUIET_AFTER_FAILURE_NANOS = Duration.ofSeconds(5).toNanos();

    private final ReactiveRedisDataSource redis;
    private final AtomicLong quietUntil = new AtomicLong(System.nanoTime());

    TokenPublisher(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** @return false when the chunk was dropped (Redis failed now or a moment ago) */
    public boolean publish(String tenantId, String executionId, TokenChunk chunk) {
        if (System.nanoTime() - quietUntil.get() < 0) {
            return false;
        }
        try {
            redis.execute("PUBLISH", TokenChunk.channel(tenantId, executionId), WeftJson.mapper().writeValueAsString(chunk))
                    .await().atMost(PUBLISH_TIMEOUT);
            return true;
        } catch (Exception e) {
            quietUntil.set(System.nanoTime() + QUIET_AFTER_FAILURE_NANOS);
            LOG.warnf("live tokens are dropped for a few seconds: Redis did not take a chunk of execution %s (%s)", executionId,
                    e.getMessage());
            return false;
        }
    }
}
