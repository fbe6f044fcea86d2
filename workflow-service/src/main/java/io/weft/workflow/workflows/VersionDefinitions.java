package io.weft.workflow.workflows;

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
 * Workflow version definitions for the paths that read them on every call (webhooks, run
 * admission). Versions never change, so they are cached by (workflow, version) — bounded: the cache
 * is emptied when it is full.
 */
@ApplicationScoped
public class VersionDefinitions {
    private static final int CACHED_VERSIONS = 10_000;

    private final Pool pool;
    private final Map<String, Optional<JsonNode>> byVersion = new ConcurrentHashMap<>();

    VersionDefinitions(Pool pool) {
        this.pool = pool;
    }

    /** The version's definition; empty when the workflow has no such version. */
    public Uni<Optional<JsonNode>> of(UUID workflowId, int version) {
        String key = workflowId + "@" + version;
        Optional<JsonNode> cached = byVersion.get(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return pool.preparedQuery("SELECT definition::text AS definition FROM workflow_versions WHERE workflow_id = $1 AND version = $2")
                .execute(Tuple.of(workflowId, version))
                .map(rows -> {
                    Optional<JsonNode> definition = rows.rowCount() == 0 ? Optional.empty()
                            : Optional.of(read(rows.iterator().next().getString("definition")));
                    if (byVersion.size() >= CACHED_VERSIONS) {
                        byVersion.clear();
                    }
                    byVersion.put(key, definition);
                    return definition;
                });
    }

    private static JsonNode read(String definition) {
        try {
            return WeftJson.mapper().readTree(definition);
        } catch (Exception e) {
            throw new IllegalStateException("a stored workflow version is unreadable", e);
        }
    }
}
