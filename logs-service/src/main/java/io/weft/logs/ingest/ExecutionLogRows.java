package io.weft.logs.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ModelUsage;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.json.WeftJson;
import io.weft.logs.partitions.LogTable;
import io.weft.logs.partitions.PartitionDay;
import io.weft.logs.redaction.RedactionCounts;
import io.weft.logs.redaction.RedactionPolicy;
import io.weft.logs.redaction.Redactor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A batch of execution events as rows: one {@code execution_log} row per node transition and per
 * execution-level event (the timeline) and
 * one {@code execution_history} row per finished execution, redacted by the tenant's policy and
 * written in two statements, each of which also adds what it inserted to the statistics.
 * Both tables drop what they already hold (same key, same time; under any tier when the tenant's
 * tier changed lately), so a redelivered event neither adds a timeline entry nor counts twice in the
 * history or insights.
 * Output previews are not kept: they stay in the orchestrator's read model.
 */
final class ExecutionLogRows implements LogRows {
    /** The model calls' tokens of the rows the insert added, per tenant, day, workflow, provider and model. */
    private static final String TOKENS_FROM_ADDED = """
            tokens AS (
                INSERT INTO token_stats AS t (tier, day, tenant_id, workflow_id, provider, model, input_tokens, output_tokens, calls)
                SELECT a.tier, date_bin('1 day', a.occurred_at, '2000-01-01 00:00:00+00'), a.tenant_id, a.workflow_id,
                       u ->> 'provider', u ->> 'model', sum((u ->> 'inputTokens')::bigint), sum((u ->> 'outputTokens')::bigint),
                       sum((u ->> 'calls')::bigint)
                FROM added a CROSS JOIN LATERAL jsonb_array_elements(a.facts -> 'usage') u
                WHERE a.facts ? 'usage' AND u ->> 'provider' IS NOT NULL AND u ->> 'model' IS NOT NULL
                GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 3, 2, 4, 5, 6
                ON CONFLICT (tenant_id, day, workflow_id, provider, model, tier) DO UPDATE SET
                    input_tokens = t.input_tokens + excluded.input_tokens, output_tokens = t.output_tokens + excluded.output_tokens,
                    calls = t.calls + excluded.calls
            )""";

    /** The events, then the node statistics of those the insert added (not of redelivered ones). */
    private static final String INSERT_LOG = """
        WITH added AS (
            INSERT INTO execution_log (tier, occurred_at, tenant_id, execution_id, workflow_id, sequence, part, event_type, node_id,
                                       node_name, node_type, attempt, duration_ms, item_count, error_kind, error_message, facts, console,
                                       redacted)
            SELECT c.tier, c.occurred_at, c.tenant_id, c.execution_id, c.workflow_id, c.sequence, c.part, c.event_type, c.node_id,
                   c.node_name, c.node_type, c.attempt, c.duration_ms, c.item_count, c.error_kind, c.error_message, c.facts::jsonb,
                   c.console::jsonb, c.redacted::jsonb
            FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::int8[], $7::int4[], $8::text[], $9::text[],
                        $10::text[], $11::text[], $12::int4[], $13::int8[], $14::int4[], $15::text[], $16::text[], $17::text[], $18::text[],
                        $19::text[])
                 AS c(tier, occurred_at, tenant_id, execution_id, workflow_id, sequence, part, event_type, node_id, node_name, node_type,
                      attempt, duration_ms, item_count, error_kind, error_message, facts, console, redacted)
            ON CONFLICT DO NOTHING
            RETURNING tier, occurred_at, tenant_id, workflow_id, event_type, node_id, node_name, duration_ms, redacted, facts
        ), %s, %s
        INSERT INTO node_stats AS s (tier, day, tenant_id, workflow_id, node_id, bucket, runs, failures, node_name)
        SELECT tier, date_bin('1 day', occurred_at, '2000-01-01 00:00:00+00'), tenant_id, workflow_id, node_id,
               weft_duration_bucket(duration_ms), count(*), count(*) FILTER (WHERE event_type = 'node.failed'), max(node_name)
        FROM added WHERE event_type IN ('node.succeeded', 'node.failed') AND node_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 3, 2, 4, 5, 6
        ON CONFLICT (tenant_id, day, workflow_id, node_id, bucket, tier) DO UPDATE SET
            runs = s.runs + excluded.runs, failures = s.failures + excluded.failures,
            node_name = coalesce(excluded.node_name, s.node_name)""".formatted(RedactionStats.FROM_ADDED, TOKENS_FROM_ADDED);

    /** Finished executions, then the execution statistics of those the insert added. */
    private static final String INSERT_HISTORY = """
        WITH added AS (
            INSERT INTO execution_history (tier, finished_at, tenant_id, execution_id, workflow_id, status, started_at, duration_ms,
                                           failed_node_id, error_kind, error_message, redacted)
            SELECT c.tier, c.finished_at, c.tenant_id, c.execution_id, c.workflow_id, c.status, c.started_at, c.duration_ms,
                   c.failed_node_id, c.error_kind, c.error_message, c.redacted::jsonb
            FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::int8[],
                        $9::text[], $10::text[], $11::text[], $12::text[])
                 AS c(tier, finished_at, tenant_id, execution_id, workflow_id, status, started_at, duration_ms, failed_node_id,
                      error_kind, error_message, redacted)
            ON CONFLICT DO NOTHING
            RETURNING tier, finished_at, tenant_id, workflow_id, status, duration_ms
        ), hourly AS (
            INSERT INTO execution_stats AS s (tier, hour, tenant_id, workflow_id, status, bucket, runs)
            SELECT tier, date_bin('1 hour', finished_at, '2000-01-01 00:00:00+00'), tenant_id, workflow_id, status,
                   weft_duration_bucket(duration_ms), count(*)
            FROM added GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 3, 2, 4, 5, 6
            ON CONFLICT (tenant_id, hour, workflow_id, status, bucket, tier) DO UPDATE SET runs = s.runs + excluded.runs
        )
        INSERT INTO execution_stats_daily AS s (tier, day, tenant_id, workflow_id, status, bucket, runs)
        SELECT tier, date_bin('1 day', finished_at, '2000-01-01 00:00:00+00'), tenant_id, workflow_id, status,
               weft_duration_bucket(duration_ms), count(*)
        FROM added GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 3, 2, 4, 5, 6
        ON CONFLICT (tenant_id, day, workflow_id, status, bucket, tier) DO UPDATE SET runs = s.runs + excluded.runs""";

    private static final String INSERT_LOG_UNDER_EVERY_TIER = LogRows.underEveryTier(INSERT_LOG, """
            NOT EXISTS (SELECT 1 FROM execution_log l WHERE l.tenant_id = c.tenant_id AND l.execution_id = c.execution_id
                        AND l.sequence = c.sequence AND l.part = c.part AND l.occurred_at = c.occurred_at)""");
    private static final String INSERT_HISTORY_UNDER_EVERY_TIER = LogRows.underEveryTier(INSERT_HISTORY, """
            NOT EXISTS (SELECT 1 FROM execution_history h WHERE h.tenant_id = c.tenant_id AND h.execution_id = c.execution_id
                        AND h.finished_at = c.finished_at)""");

    private record LogRow(String tier, Instant occurredAt, UUID tenant, String executionId, String workflowId, long sequence,
                          int part, String eventType, String nodeId, String nodeName, String nodeType, Integer attempt, Long durationMs,
                          Integer itemCount, String errorKind, String errorMessage, String facts, String console, String redacted) {
    }

    private record HistoryRow(String tier, Instant finishedAt, UUID tenant, String executionId, String workflowId, String status,
                              Instant startedAt, Long durationMs, String failedNodeId, String errorKind, String errorMessage,
                              String redacted) {
    }

    private final Redactor redactor;
    private final List<LogRow> log = new ArrayList<>();
    private final List<HistoryRow> history = new ArrayList<>();
    private final List<PartitionDay> days = new ArrayList<>();
    private final RedactionCounts total = new RedactionCounts();
    private boolean underEveryTier;

    ExecutionLogRows(Redactor redactor) {
        this.redactor = redactor;
    }

    @Override
    public List<PartitionDay> days() {
        return days;
    }

    @Override
    public RedactionCounts redacted() {
        return total;
    }

    @Override
    public boolean isEmpty() {
        return log.isEmpty();
    }

    @Override
    public void lookUnderEveryTier() {
        underEveryTier = true;
    }

    /** What one timeline row says besides the event's identity: a node transition's or an execution event's own facts. */
    private static final class Entry {
        String nodeId;
        String nodeName;
        String nodeType;
        Integer attempt;
        Long duration;
        Integer items;
        ExecutionError error;
        List<ConsoleLine> console;
        /** a cancellation's reason, redacted with the rest of the row */
        String reason;
        final ObjectNode facts = WeftJson.mapper().createObjectNode();
        /** set by the row, for the history row of the same event */
        String errorKind;
        String errorMessage;
        String redacted;
    }

    /**
     * Adds the event's rows: one per node transition it carries (parts 0..n-1, in their order) and
     * one for the event itself (part n) unless it only carries transitions.
     *
     * @param type the event's short type, e.g. {@code execution.succeeded}
     */
    void add(UUID tenant, Tier tier, RedactionPolicy policy, ExecutionEvent event, String type) {
        List<NodeTransition> transitions = event.nodes();
        for (int part = 0; part < transitions.size(); part++) {
            NodeTransition transition = transitions.get(part);
            Instant at = transition.occurredAt() == null ? event.occurredAt() : transition.occurredAt();
            row(tenant, tier, policy, event, part, nodeType(transition.status()), at, entry(transition));
        }
        if (!(event instanceof ExecutionEvent.NodesProgressed)) {
            Entry entry = entry(event);
            row(tenant, tier, policy, event, transitions.size(), type, event.occurredAt(), entry);
            if (event.terminal()) {
                history(tenant, tier, event, entry);
            }
        }
    }

    /** The timeline's type of a transition, as the per-node events were called before contract v2. */
    static String nodeType(NodeTransition.Status status) {
        return switch (status) {
            case RUNNING -> "node.started";
            case RETRYING -> "node.retrying";
            case SUCCEEDED -> "node.succeeded";
            case FAILED -> "node.failed";
        };
    }

    private static Entry entry(NodeTransition transition) {
        Entry entry = new Entry();
        entry.nodeId = transition.nodeId();
        entry.nodeName = transition.nodeName();
        entry.nodeType = transition.nodeType();
        entry.attempt = transition.attempt();
        entry.duration = transition.durationMs();
        entry.items = transition.itemCount();
        entry.error = transition.error();
        entry.console = transition.console();
        if (transition.handling() != null) {
            entry.facts.put("handling", transition.handling().name());
        }
        if (transition.retryAt() != null) {
            entry.facts.put("retryAt", transition.retryAt().toString());
        }
        if (!transition.usage().isEmpty()) {
            ArrayNode usage = entry.facts.putArray("usage");
            for (ModelUsage used : transition.usage()) {
                usage.addObject().put("provider", Texts.clean(used.provider(), Texts.NAME)).put("model", Texts.clean(used.model(), Texts.NAME))
                        .put("inputTokens", Math.max(0, used.inputTokens())).put("outputTokens", Math.max(0, used.outputTokens()))
                        .put("calls", Math.max(0, used.calls()));
            }
        }
        return entry;
    }

    private static Entry entry(ExecutionEvent event) {
        Entry entry = new Entry();
        ObjectNode facts = entry.facts;
        switch (event) {
            case ExecutionEvent.ExecutionStarted started -> {
                facts.put("workflowVersion", started.workflowVersion()).put("resumed", started.resumed());
                if (started.trigger() != null) {
                    facts.put("trigger", started.trigger().name());
                }
            }
            case ExecutionEvent.NodesProgressed progressed -> {
                // its transitions are rows of their own
            }
            case ExecutionEvent.ExecutionWaiting waiting -> {
                entry.nodeId = waiting.nodeId();
                if (waiting.reason() != null) {
                    facts.put("reason", waiting.reason().name());
                }
                if (waiting.resumeAt() != null) {
                    facts.put("resumeAt", waiting.resumeAt().toString());
                }
                if (waiting.approvalId() != null) {
                    facts.put("approvalId", waiting.approvalId());
                }
            }
            case ExecutionEvent.WebhookResponded responded -> {
                entry.nodeId = responded.nodeId();
                facts.put("statusCode", responded.statusCode());
            }
            case ExecutionEvent.ExecutionSucceeded succeeded -> entry.duration = succeeded.durationMs();
            case ExecutionEvent.ExecutionFailed failed -> {
                entry.duration = failed.durationMs();
                entry.error = failed.error();
                entry.nodeId = failed.failedNodeId();
            }
            case ExecutionEvent.ExecutionCancelled cancelled -> {
                if (cancelled.requestedBy() != null) {
                    facts.put("requestedBy", cancelled.requestedBy());
                }
                entry.reason = cancelled.reason();
            }
        }
        return entry;
    }

    /** A timeline row of the event; what it redacts is also noted on {@code entry} for the event's history row. */
    private void row(UUID tenant, Tier tier, RedactionPolicy policy, ExecutionEvent event, int part, String type, Instant at,
                     Entry entry) {
        RedactionCounts counts = new RedactionCounts();
        ObjectNode facts = entry.facts;
        if (entry.reason != null) {
            facts.put("reason", redactor.redact(entry.reason, policy, counts));
        }
        ExecutionError error = entry.error;
        String errorKind = error == null || error.kind() == null ? null : error.kind().name();
        String errorMessage = error == null ? null : Texts.clean(redactor.redact(error.message(), policy, counts), Texts.MESSAGE);
        if (error != null && error.details() != null && !error.details().isNull()) {
            facts.set("errorDetails", redactor.redact(error.details(), policy, counts));
        }
        if (error != null) {
            facts.put("retryable", error.retryable());
        }
        String consoleJson = entry.console == null || entry.console.isEmpty() ? null : text(redactor.redact(
                (JsonNode) WeftJson.mapper().valueToTree(entry.console), policy, counts));
        entry.errorKind = errorKind;
        entry.errorMessage = errorMessage;
        entry.redacted = counts(counts);
        total.merge(counts);
        log.add(new LogRow(tier.wireName(), at, tenant, Texts.clean(event.executionId(), Texts.NAME),
                Texts.clean(event.workflowId(), Texts.NAME), event.sequence(), part, type, Texts.clean(entry.nodeId, Texts.NAME),
                Texts.clean(entry.nodeName, Texts.NAME), Texts.clean(entry.nodeType, Texts.NAME), entry.attempt, entry.duration,
                entry.items, errorKind, errorMessage, facts.isEmpty() ? null : text(facts), consoleJson, entry.redacted));
        days.add(PartitionDay.of(LogTable.EXECUTION_LOG, tier, at));
        if ("node.succeeded".equals(type) || "node.failed".equals(type)) {
            days.add(PartitionDay.of(LogTable.NODE_STATS, tier, at));
        }
        if (facts.has("usage")) {
            days.add(PartitionDay.of(LogTable.TOKEN_STATS, tier, at));
        }
        if (entry.redacted != null) {
            days.add(PartitionDay.of(LogTable.REDACTION_STATS, tier, at));
        }
    }

    private void history(UUID tenant, Tier tier, ExecutionEvent event, Entry entry) {
        String status = switch (event) {
            case ExecutionEvent.ExecutionSucceeded ignored -> "succeeded";
            case ExecutionEvent.ExecutionFailed ignored -> "failed";
            default -> "cancelled";
        };
        Long duration = entry.duration;
        Instant startedAt = duration == null ? null : event.occurredAt().minusMillis(duration);
        history.add(new HistoryRow(tier.wireName(), event.occurredAt(), tenant, Texts.clean(event.executionId(), Texts.NAME),
                Texts.clean(event.workflowId(), Texts.NAME), status, startedAt, duration,
                Texts.clean(event instanceof ExecutionEvent.ExecutionFailed failed ? failed.failedNodeId() : null, Texts.NAME),
                entry.errorKind, entry.errorMessage, entry.redacted));
        days.add(PartitionDay.of(LogTable.EXECUTION_HISTORY, tier, event.occurredAt()));
        days.add(PartitionDay.of(LogTable.EXECUTION_STATS, tier, event.occurredAt()));
        days.add(PartitionDay.of(LogTable.EXECUTION_STATS_DAILY, tier, event.occurredAt()));
    }

    @Override
    public Uni<Void> write(SqlConnection connection) {
        if (log.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<?> logged = connection.preparedQuery(underEveryTier ? INSERT_LOG_UNDER_EVERY_TIER : INSERT_LOG).execute(Tuple.from(Arrays.asList(
                column(log, LogRow::tier, String[]::new), column(log, r -> utc(r.occurredAt()), OffsetDateTime[]::new),
                column(log, LogRow::tenant, UUID[]::new), column(log, LogRow::executionId, String[]::new),
                column(log, LogRow::workflowId, String[]::new), column(log, LogRow::sequence, Long[]::new),
                column(log, LogRow::part, Integer[]::new), column(log, LogRow::eventType, String[]::new), column(log, LogRow::nodeId, String[]::new),
                column(log, LogRow::nodeName, String[]::new), column(log, LogRow::nodeType, String[]::new),
                column(log, LogRow::attempt, Integer[]::new), column(log, LogRow::durationMs, Long[]::new),
                column(log, LogRow::itemCount, Integer[]::new), column(log, LogRow::errorKind, String[]::new),
                column(log, LogRow::errorMessage, String[]::new), column(log, LogRow::facts, String[]::new),
                column(log, LogRow::console, String[]::new), column(log, LogRow::redacted, String[]::new))));
        if (history.isEmpty()) {
            return logged.replaceWithVoid();
        }
        return logged.chain(() -> connection.preparedQuery(underEveryTier ? INSERT_HISTORY_UNDER_EVERY_TIER : INSERT_HISTORY).execute(Tuple.from(Arrays.asList(
                        column(history, HistoryRow::tier, String[]::new), column(history, r -> utc(r.finishedAt()), OffsetDateTime[]::new),
                        column(history, HistoryRow::tenant, UUID[]::new), column(history, HistoryRow::executionId, String[]::new),
                        column(history, HistoryRow::workflowId, String[]::new), column(history, HistoryRow::status, String[]::new),
                        column(history, r -> utc(r.startedAt()), OffsetDateTime[]::new), column(history, HistoryRow::durationMs, Long[]::new),
                        column(history, HistoryRow::failedNodeId, String[]::new), column(history, HistoryRow::errorKind, String[]::new),
                        column(history, HistoryRow::errorMessage, String[]::new), column(history, HistoryRow::redacted, String[]::new)))))
                .replaceWithVoid();
    }

    static <R, T> T[] column(List<R> rows, Function<R, T> value, IntFunction<T[]> array) {
        T[] column = array.apply(rows.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(rows.get(i));
        }
        return column;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : WeftJson.withoutNul(node.toString());
    }

    static String counts(RedactionCounts counts) {
        return counts.isEmpty() ? null : text(WeftJson.mapper().valueToTree(counts.asMap()));
    }
}
