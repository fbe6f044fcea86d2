package io.weft.executor.runs;

import io.vertx.mutiny.sqlclient.Row;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import java.time.Instant;
import java.util.UUID;

/** The request an execution started from, rebuilt from its row, for runs no request brings (resume, sweep). */
final class StoredRequests {
    /** The columns {@link #from} reads; a query returns them under these names. */
    static final String COLUMNS = "e.id, e.tenant_id, e.workflow_id, e.workflow_version, e.plan_hash, e.trigger_kind,"
            + " e.trigger_node_id, e.trigger_data::text AS trigger_data, e.requested_by, e.retain_days, e.llm_tokens_per_month,"
            + " e.call_depth";

    private StoredRequests() {
    }

    static ExecutionRequested from(Row row, Instant now) {
        try {
            return new ExecutionRequested(UUID.randomUUID().toString(), row.getString("tenant_id"), row.getString("id"),
                    row.getString("workflow_id"), row.getInteger("workflow_version"), row.getString("plan_hash"),
                    TriggerKind.valueOf(row.getString("trigger_kind")), row.getString("trigger_node_id"),
                    WeftJson.mapper().readTree(row.getString("trigger_data")), row.getString("requested_by"), null, null, now,
                    row.getInteger("retain_days"), row.getLong("llm_tokens_per_month"), row.getInteger("call_depth"));
        } catch (Exception e) {
            throw new IllegalStateException("the stored request of " + row.getString("id") + " is unreadable", e);
        }
    }
}
