package io.weft.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A workflow version's concurrency limit ({@code settings.concurrencyLimit} and
 * {@code whenLimitReached}), cached per version (versions never change).
 */
@ApplicationScoped
public class ConcurrencyLimits {
    private static final int CACHED_VERSIONS = 10_000;
    private static final Optional<Limit> NONE = Optional.empty();

    /** @param queue true: runs beyond the limit wait their turn; false: they are refused (429) */
    public record Limit(int max, boolean queue) {
    }

    private final Pool pool;
    private final Map<String, Optional<Limit>> byVersion = new ConcurrentHashMap<>();

    ConcurrencyLimits(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Limit>> of(String workflowId, int version) {
        UUID id;
        try {
            id = UUID.fromString(workflowId);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(NONE); // not one of this service's workflows
        }
        String key = workflowId + "@" + version;
        Optional<Limit> cached = byVersion.get(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return pool.preparedQuery("SELECT definition->'settings' AS settings FROM workflow_versions WHERE workflow_id = $1 AND version = $2")
                .execute(Tuple.of(id, version))
                .map(rows -> {
                    Optional<Limit> limit = rows.rowCount() == 0 ? NONE : limit(rows.iterator().next().getJsonObject("settings"));
                    if (byVersion.size() >= CACHED_VERSIONS) {
                        byVersion.clear();
                    }
                    byVersion.put(key, limit);
                    return limit;
                });
    }

    private static Optional<Limit> limit(io.vertx.core.json.JsonObject settings) {
        if (settings == null) {
            return NONE;
        }
        JsonNode node = WeftJson.mapper().valueToTree(settings.getMap());
        int max = node.path("concurrencyLimit").asInt(0);
        return max < 1 ? NONE : Optional.of(new Limit(max, !"reject".equals(node.path("whenLimitReached").asText("queue"))));
    }
}
