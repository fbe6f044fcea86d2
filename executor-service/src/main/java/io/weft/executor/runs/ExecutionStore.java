package io.weft.executor.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.json.WeftJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.payloads.PayloadStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executions and node checkpoints in the executor's database. Writes during a run are made only
 * while this executor holds the execution's lease; a write that finds the lease gone fails with
 * {@link LeaseLostException}.
 */
@ApplicationScoped
public class ExecutionStore {
    private final Pool pool;
    private final PayloadStore payloads;
    private final int inlineLimit;

    /**
     * @param inlineLimit items whose JSON is larger than this many bytes are checkpointed as
     *                    payloads (stored once per tenant and content) and referenced
     */
    ExecutionStore(Pool pool, PayloadStore payloads,
                   @ConfigProperty(name = "weft.executor.checkpoints.inline-limit", defaultValue = "65536") int inlineLimit) {
        this.pool = pool;
        this.payloads = payloads;
        this.inlineLimit = inlineLimit;
    }

    /**
     * Records the execution if it is new and takes its lease; empty when it has finished already,
     * or another executor holds a live lease on it, or it belongs to another tenant.
     */
    public Uni<Optional<Lease>> take(ExecutionRequested request, String owner, Duration leaseFor) {
        return pool.preparedQuery("""
                        INSERT INTO executions AS e (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind,
                                                trigger_node_id, trigger_data, status, lease_owner, lease_until, runs, sequence,
                                                requested_by, command, retain_days, llm_tokens_per_month, call_depth)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, 'running', $9,
                                now() + $10 * interval '1 millisecond', 1, 1000000, $11,
                                (SELECT command FROM execution_commands WHERE execution_id = $1 AND tenant_id = $2), $12, $13, $14)
                        ON CONFLICT (id) DO UPDATE SET lease_owner = $9, lease_until = now() + $10 * interval '1 millisecond',
                               runs = e.runs + 1, sequence = e.sequence + 1000000,
                               takeovers = e.takeovers + CASE WHEN e.lease_owner IS NOT NULL AND e.lease_owner <> $9 THEN 1 ELSE 0 END
                        WHERE e.tenant_id = $2 AND e.status = 'running'
                          AND (e.lease_owner IS NULL OR e.lease_until < now() OR e.lease_owner = $9)
                        RETURNING runs, sequence, command, takeovers, created_at""")
                .execute(Tuple.from(Arrays.asList(request.executionId(), request.tenantId(), request.workflowId(),
                        request.workflowVersion(), request.planHash(), request.trigger().name(), request.triggerNodeId(),
                        json(request.triggerData() == null ? WeftJson.mapper().nullNode() : request.triggerData()),
                        owner, leaseFor.toMillis(), request.requestedBy(), request.retainDays(), request.llmTokensPerMonth(),
                        request.callDepth())))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Lease(request.executionId(), owner, row.getInteger("runs"), row.getLong("sequence") - 1_000_000,
                            row.getString("command"), row.getInteger("takeovers"), row.getOffsetDateTime("created_at").toInstant()));
                });
    }

    /**
     * The outcomes of the nodes an earlier run finished, to resume from. Blocks (large items are
     * read back from the payload store): call it off the event loop.
     */
    public Map<String, NodeOutcome> checkpoints(String tenantId, String executionId, Duration timeout) {
        RowSet<Row> rows = pool.preparedQuery("SELECT node_id, status, output::text AS output, error::text AS error, duration_ns,"
                        + " resume_at FROM node_checkpoints WHERE execution_id = $1")
                .execute(Tuple.of(executionId)).await().atMost(timeout);
        Map<String, NodeOutcome> finished = new HashMap<>();
        for (Row row : rows) {
            NodeOutput output = row.getString("output") == null ? null : output(tenantId, row.getString("output"));
            NodeFailure error = row.getString("error") == null ? null : failure(read(row.getString("error"), ExecutionError.class));
            java.time.OffsetDateTime resumeAt = row.getOffsetDateTime("resume_at");
            finished.put(row.getString("node_id"), new NodeOutcome(row.getString("node_id"),
                    NodeOutcome.Status.valueOf(row.getString("status")), output, error, row.getLong("duration_ns"),
                    java.util.List.of(), resumeAt == null ? null : resumeAt.toInstant()));
        }
        return finished;
    }

    /**
     * How an execution of the tenant ended: its status ({@code succeeded}, {@code failed} or
     * {@code cancelled}), its plan's hash and its error; empty while it runs, waits or is paused, and
     * before an executor has taken it.
     */
    public record Ended(String status, String planHash, ExecutionError error) {
    }

    public Optional<Ended> ended(String tenantId, String executionId, Duration timeout) {
        RowSet<Row> rows = pool.preparedQuery("SELECT status, plan_hash, error::text AS error FROM executions"
                        + " WHERE id = $1 AND tenant_id = $2 AND status IN ('succeeded', 'failed', 'cancelled')")
                .execute(Tuple.of(executionId, tenantId)).await().atMost(timeout);
        if (rows.rowCount() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        String error = row.getString("error");
        return Optional.of(new Ended(row.getString("status"), row.getString("plan_hash"),
                error == null ? null : read(error, ExecutionError.class)));
    }

    /** The trigger an execution of the tenant started from. */
    public record Original(String triggerNodeId, JsonNode triggerData) {
    }

    public Optional<Original> original(String tenantId, String executionId, Duration timeout) {
        RowSet<Row> rows = pool.preparedQuery("SELECT trigger_node_id, trigger_data::text AS trigger_data FROM executions"
                        + " WHERE id = $1 AND tenant_id = $2")
                .execute(Tuple.of(executionId, tenantId)).await().atMost(timeout);
        if (rows.rowCount() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        String data = row.getString("trigger_data");
        return Optional.of(new Original(row.getString("trigger_node_id"), data == null ? null : read(data, JsonNode.class)));
    }

    /** Records the trigger a retry took over, so that a resumed run of it starts from the same. */
    public void retrying(Lease lease, String triggerNodeId, JsonNode triggerData, Duration timeout) {
        pool.preparedQuery("UPDATE executions SET trigger_node_id = $3, trigger_data = $4::text::jsonb WHERE id = $1 AND lease_owner = $2")
                .execute(Tuple.from(Arrays.asList(lease.executionId(), lease.owner(), triggerNodeId,
                        triggerData == null ? null : json(triggerData))))
                .await().atMost(timeout);
    }

    /**
     * Takes over the finished nodes of another execution among {@code nodeIds} as this one's
     * checkpoints, with its payload references: the payloads they name stay while this one does.
     */
    public void seed(Lease lease, String fromExecution, List<String> nodeIds, Duration timeout) {
        pool.preparedQuery("""
                        WITH referred AS (
                            INSERT INTO execution_payloads (execution_id, tenant_id, payload_id)
                            SELECT $1, r.tenant_id, r.payload_id FROM execution_payloads r
                            WHERE r.execution_id = $2 AND EXISTS (SELECT 1 FROM executions WHERE id = $1 AND lease_owner = $4)
                            ON CONFLICT DO NOTHING
                            RETURNING tenant_id, payload_id),
                        touched AS (
                            -- as a store does: retention, which may be taking the original now, spares them
                            UPDATE payloads p SET stored_at = now() FROM referred r WHERE p.tenant_id = r.tenant_id AND p.id = r.payload_id)
                        INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, error, duration_ns)
                        SELECT $1, c.node_id, c.status, 1, c.output, c.error, c.duration_ns FROM node_checkpoints c
                        WHERE c.execution_id = $2 AND c.node_id = ANY($3)
                          AND c.status IN ('SUCCEEDED', 'SKIPPED', 'PASSED_THROUGH', 'FAILED_HANDLED')
                          AND EXISTS (SELECT 1 FROM executions WHERE id = $1 AND lease_owner = $4)
                        ON CONFLICT (execution_id, node_id) DO NOTHING""")
                .execute(Tuple.of(lease.executionId(), fromExecution, nodeIds.toArray(String[]::new), lease.owner()))
                .await().atMost(timeout);
    }

    /**
     * Saves finished nodes in one statement if this executor still holds the lease (renewed by the
     * heartbeat); fails with {@link LeaseLostException} otherwise.
     *
     * <p>Checkpoints are committed without waiting for the WAL flush ({@code synchronous_commit}
     * off for this statement only): only a crash of PostgreSQL itself can lose the last few hundred
     * milliseconds of them, and a lost checkpoint means the node runs again, which at-least-once
     * nodes with idempotency keys allow. Taking and finishing an execution stay synchronous.
     * {@code events}, the transitions the checkpoint describes, are stored in the outbox with it.
     */
    public Uni<Void> checkpoint(Lease lease, String tenantId, List<NodeOutcome> outcomes, int attempt, List<EventOutbox.Encoded> events) {
        if (outcomes.isEmpty() && events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Checkpoints rows = checkpoints(tenantId, lease.executionId(), outcomes);
        List<Object> parameters = new ArrayList<>(Arrays.asList(lease.executionId(), rows.nodeIds, rows.statuses, rows.outputs,
                rows.errors, rows.durations, attempt, lease.owner(), tenantId));
        parameters.addAll(EventOutbox.columns(events));
        return pool.preparedQuery("""
                        WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)),
                        leased AS (SELECT id FROM executions WHERE id = $1 AND lease_owner = $8),
                        saved AS (
                            INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, error, duration_ns)
                            SELECT leased.id, c.node_id, c.status, $7, c.output::jsonb, c.error::jsonb, c.duration_ns
                            FROM leased, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
                                 AS c(node_id, status, output, error, duration_ns)
                            """ + UPSERT_CHECKPOINT + """
                        ),
                        told AS (""" + EventOutbox.insert("leased, ", "leased.id", "$9", 10) + """
                        )
                        SELECT count(*) AS leased FROM leased, relaxed""")
                .execute(Tuple.from(parameters))
                .map(result -> {
                    if (result.iterator().next().getLong("leased") == 0) {
                        throw new LeaseLostException(lease.executionId());
                    }
                    return null;
                });
    }

    /**
     * Parks the execution until the first of its waiting nodes is due: each is checkpointed as
     * WAITING with its time, and the execution lets go of its executor.
     */
    public Uni<Void> park(Lease lease, String tenantId, Map<String, java.time.Instant> waits, int attempt,
                          List<EventOutbox.Encoded> events) {
        java.time.Instant first = waits.values().stream().min(java.time.Instant::compareTo).orElseThrow();
        return pool.withTransaction(connection -> io.smallrye.mutiny.Multi.createFrom().iterable(waits.entrySet())
                .onItem().transformToUniAndConcatenate(wait -> connection.preparedQuery("""
                                INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, duration_ns, resume_at)
                                VALUES ($1, $2, 'WAITING', $3, 0, $4)
                                ON CONFLICT (execution_id, node_id) DO UPDATE SET status = 'WAITING', resume_at = excluded.resume_at,
                                    output = NULL, error = NULL, finished_at = now()""")
                        .execute(Tuple.of(lease.executionId(), wait.getKey(), attempt, wait.getValue().atOffset(java.time.ZoneOffset.UTC))))
                .collect().last()
                .chain(() -> connection.preparedQuery("""
                                UPDATE executions SET status = 'waiting', resume_at = $3, lease_owner = NULL, lease_until = NULL
                                WHERE id = $1 AND lease_owner = $2 AND status = 'running'""")
                        .execute(Tuple.of(lease.executionId(), lease.owner(), first.atOffset(java.time.ZoneOffset.UTC))))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new LeaseLostException(lease.executionId());
                    }
                    return EventOutbox.write(connection, lease.executionId(), tenantId, events);
                }));
    }

    /**
     * Fails the execution unless another executor holds a live lease on it, with the event that says
     * so ({@code event} gets the sequence it is to have); false when it did not fail it.
     */
    public Uni<Boolean> giveUp(String executionId, String tenantId, String owner, ExecutionError error,
                               java.util.function.LongFunction<EventOutbox.Encoded> event) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        UPDATE executions SET status = 'failed', error = $4::text::jsonb, finished_at = now(),
                               lease_owner = NULL, lease_until = NULL, sequence = sequence + 1
                        WHERE id = $1 AND tenant_id = $2 AND status = 'running'
                          AND (lease_owner IS NULL OR lease_owner = $3 OR lease_until < now())
                        RETURNING sequence""")
                .execute(Tuple.of(executionId, tenantId, owner, json(WeftJson.mapper().valueToTree(error))))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                        : EventOutbox.write(connection, executionId, tenantId, List.of(event.apply(rows.iterator().next().getLong("sequence"))))
                                .replaceWith(true)));
    }

    /** Extends the lease; answers the command pending on the execution (null when none). */
    public Uni<String> renew(Lease lease, Duration leaseFor) {
        // The stored command too: one that arrived while the execution was being taken is on no row yet.
        return pool.preparedQuery("UPDATE executions e SET lease_until = now() + $3 * interval '1 millisecond'"
                        + " WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING coalesce(e.command,"
                        + " (SELECT c.command FROM execution_commands c WHERE c.execution_id = e.id AND c.tenant_id = e.tenant_id)) AS command")
                .execute(Tuple.of(lease.executionId(), lease.owner(), leaseFor.toMillis()))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("command"));
    }

    /**
     * Parks the execution if a pause is still pending on it (under the row's lock, so that a resume
     * that withdrew it in the meantime wins) and lets go of it; false when there is no pause any more.
     */
    public Uni<Boolean> pause(Lease lease, String tenantId, List<EventOutbox.Encoded> events) {
        List<Object> parameters = new ArrayList<>(List.of(lease.executionId(), lease.owner(), tenantId));
        parameters.addAll(EventOutbox.columns(events));
        return pool.preparedQuery("""
                        WITH paused AS (
                            UPDATE executions SET status = 'paused', lease_owner = NULL, lease_until = NULL
                            WHERE id = $1 AND lease_owner = $2 AND status = 'running' AND command = 'pause'
                            RETURNING id),
                        told AS (""" + EventOutbox.insert("paused, ", "paused.id", "$3", 4) + """
                        )
                        SELECT count(*) AS paused FROM paused""")
                .execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong("paused") == 1);
    }

    /**
     * Marks the execution cancelled and lets go of it, with the events {@code events} makes of who
     * asked and why (from the stored command) and of the sequence the first is to have.
     */
    public Uni<Void> cancel(Lease lease, String tenantId, long sequence,
                            java.util.function.Function<ExecutionCommands.Requested, List<EventOutbox.Encoded>> events) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        UPDATE executions e SET status = 'cancelled', command = 'cancel', finished_at = now(),
                               lease_owner = NULL, lease_until = NULL, sequence = greatest(e.sequence, $3)
                        WHERE e.id = $1 AND e.lease_owner = $2
                        RETURNING (SELECT requested_by FROM execution_commands c
                                   WHERE c.execution_id = e.id AND c.tenant_id = e.tenant_id) AS requested_by,
                                  (SELECT reason FROM execution_commands c
                                   WHERE c.execution_id = e.id AND c.tenant_id = e.tenant_id) AS reason""")
                .execute(Tuple.of(lease.executionId(), lease.owner(), sequence))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new LeaseLostException(lease.executionId());
                    }
                    Row row = rows.iterator().next();
                    return EventOutbox.write(connection, lease.executionId(), tenantId,
                            events.apply(new ExecutionCommands.Requested(row.getString("requested_by"), row.getString("reason"))));
                }));
    }

    /**
     * Marks the execution finished and lets go of it, saving the nodes not checkpointed yet and the
     * events that tell it in the same statement.
     */
    public Uni<Void> finish(Lease lease, String tenantId, boolean succeeded, String failedNodeId, ExecutionError error, long sequence,
                            List<NodeOutcome> unsaved, List<EventOutbox.Encoded> events) {
        Checkpoints rows = checkpoints(tenantId, lease.executionId(), unsaved);
        List<Object> parameters = new ArrayList<>(Arrays.asList(lease.executionId(), lease.owner(), succeeded ? "succeeded" : "failed",
                failedNodeId, error == null ? null : json(WeftJson.mapper().valueToTree(error)), sequence,
                rows.nodeIds, rows.statuses, rows.outputs, rows.errors, rows.durations, lease.attempt(), tenantId));
        parameters.addAll(EventOutbox.columns(events));
        return pool.preparedQuery("""
                        WITH finished AS (
                            UPDATE executions SET status = $3, failed_node_id = $4, error = $5::text::jsonb,
                                   sequence = greatest(sequence, $6), finished_at = now(), lease_owner = NULL, lease_until = NULL
                            WHERE id = $1 AND lease_owner = $2
                            RETURNING id),
                        saved AS (
                            INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, error, duration_ns)
                            SELECT finished.id, c.node_id, c.status, $12, c.output::jsonb, c.error::jsonb, c.duration_ns
                            FROM finished, unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::int8[])
                                 AS c(node_id, status, output, error, duration_ns)
                            """ + UPSERT_CHECKPOINT + """
                        ),
                        told AS (""" + EventOutbox.insert("finished, ", "finished.id", "$13", 14) + """
                        )
                        SELECT count(*) AS finished FROM finished""")
                .execute(Tuple.from(parameters))
                .map(result -> {
                    if (result.iterator().next().getLong("finished") == 0) {
                        throw new LeaseLostException(lease.executionId());
                    }
                    return null;
                });
    }

    private static final String UPSERT_CHECKPOINT = """
            ON CONFLICT (execution_id, node_id) DO UPDATE SET status = excluded.status, attempt = excluded.attempt,
                output = excluded.output, error = excluded.error, duration_ns = excluded.duration_ns, finished_at = now()
            """;

    /** Node outcomes as the column arrays of one multi-row insert. */
    private record Checkpoints(String[] nodeIds, String[] statuses, String[] outputs, String[] errors, Long[] durations) {
    }

    /** Blocks while large items are stored as payloads: call it off the event loop. */
    private Checkpoints checkpoints(String tenantId, String executionId, List<NodeOutcome> outcomes) {
        int n = outcomes.size();
        Checkpoints rows = new Checkpoints(new String[n], new String[n], new String[n], new String[n], new Long[n]);
        for (int i = 0; i < n; i++) {
            NodeOutcome outcome = outcomes.get(i);
            rows.nodeIds[i] = outcome.nodeId();
            rows.statuses[i] = outcome.status().name();
            rows.outputs[i] = outcome.output() == null ? null : output(tenantId, executionId, outcome.output());
            rows.errors[i] = outcome.error() == null ? null
                    : json(WeftJson.mapper().valueToTree(error(outcome.nodeId(), outcome.error())));
            rows.durations[i] = outcome.durationNanos();
        }
        return rows;
    }

    /**
     * A node output as checkpointed: {@code {"ports":{port:[{"json":…,"binary":…}]}}}, where an item
     * whose JSON is larger than the inline limit is stored as a payload and saved as
     * {@code {"jsonPayload":id}} instead — once per tenant and content, however many nodes pass it on.
     */
    private String output(String tenantId, String executionId, NodeOutput output) {
        ObjectNode ports = WeftJson.mapper().createObjectNode();
        output.ports().forEach((port, items) -> {
            ArrayNode saved = ports.putArray(port);
            for (Item item : items) {
                ObjectNode entry = saved.addObject();
                byte[] json = bytes(item.json());
                if (json.length > inlineLimit) {
                    entry.put(JSON_PAYLOAD, payloads.store(tenantId, executionId, json));
                } else {
                    entry.putRawValue("json", new RawValue(new String(json, StandardCharsets.UTF_8)));
                }
                if (!item.binary().isEmpty()) {
                    ObjectNode binary = entry.putObject("binary");
                    item.binary().forEach(binary::put);
                }
            }
        });
        return json(WeftJson.mapper().createObjectNode().set("ports", ports));
    }

    private NodeOutput output(String tenantId, String saved) {
        JsonNode tree = read(saved, JsonNode.class);
        List<ObjectNode> referring = new ArrayList<>();
        tree.path("ports").forEach(items -> items.forEach(item -> {
            if (item.has(JSON_PAYLOAD)) {
                referring.add((ObjectNode) item);
            }
        }));
        if (!referring.isEmpty()) {
            Map<String, byte[]> found = payloads.readAll(tenantId, referring.stream().map(item -> item.get(JSON_PAYLOAD).asText()).toList());
            for (ObjectNode item : referring) {
                byte[] json = found.get(item.get(JSON_PAYLOAD).asText());
                if (json == null) {
                    throw new IllegalStateException("a stored checkpoint refers to a payload that is gone: " + item.get(JSON_PAYLOAD).asText());
                }
                item.set("json", read(new String(json, StandardCharsets.UTF_8), JsonNode.class));
                item.remove(JSON_PAYLOAD);
            }
        }
        try {
            return WeftJson.mapper().treeToValue(tree, NodeOutput.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored checkpoint is unreadable", e);
        }
    }

    private static final String JSON_PAYLOAD = "jsonPayload";

    private static byte[] bytes(JsonNode node) {
        try {
            return WeftJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ExecutionError error(String nodeId, NodeFailure failure) {
        return new ExecutionError(failure.kind(), failure.getMessage(), failure.retryable(), nodeId, null);
    }

    private static NodeFailure failure(ExecutionError error) {
        return new NodeFailure(error.kind() == null ? ErrorKind.INTERNAL : error.kind(), error.retryable(), error.message());
    }

    private static String json(JsonNode node) {
        try {
            return WeftJson.withoutNul(WeftJson.mapper().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return WeftJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored checkpoint is unreadable", e);
        }
    }
}
