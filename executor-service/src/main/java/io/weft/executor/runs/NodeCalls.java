package io.weft.executor.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The calls a node made in earlier attempts of its execution ({@code node_calls}): an agent's
 * model and tool calls, written one by one as they end, under the execution's lease, and read back
 * by the node's next attempt so that it replays them.
 */
@ApplicationScoped
public class NodeCalls {
    private final Pool pool;

    NodeCalls(Pool pool) {
        this.pool = pool;
    }

    /** The node's recorded calls, by key. */
    public Uni<Map<String, JsonNode>> of(String executionId, String nodeId) {
        return pool.preparedQuery("SELECT call_key, result::text AS result FROM node_calls WHERE execution_id = $1 AND node_id = $2")
                .execute(Tuple.of(executionId, nodeId))
                .map(rows -> {
                    Map<String, JsonNode> calls = new HashMap<>();
                    for (Row row : rows) {
                        calls.put(row.getString("call_key"), read(row.getString("result")));
                    }
                    return calls;
                });
    }

    /**
     * Records a finished call while the lease is held ({@link LeaseLostException} otherwise). A call
     * already recorded under the key keeps its first result: that is what the model was told.
     */
    public Uni<Void> record(Lease lease, String nodeId, String key, JsonNode result) {
        return pool.preparedQuery("""
                        INSERT INTO node_calls (execution_id, node_id, call_key, result)
                        SELECT id, $2, $3, $4::jsonb FROM executions WHERE id = $1 AND lease_owner = $5
                        ON CONFLICT (execution_id, node_id, call_key) DO UPDATE SET result = node_calls.result
                        RETURNING 1""")
                .execute(Tuple.of(lease.executionId(), nodeId, key, result.toString(), lease.owner()))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new LeaseLostException(lease.executionId());
                    }
                    return null;
                });
    }

    private static JsonNode read(String json) {
        try {
            return WeftJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
