package io.weft.logs.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
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
 * A batch of execution events as rows: one {@code execution_log} row per event (the timeline) and
 * one {@code execution_history} row per finished execution, redacted by the tenant's policy and
 * written in two statements, each of which also adds what it inserted to the statistics.
 * Both tables drop what they already hold (same key, same time), so a redelivered event neither
 * adds a timeline entry nor counts twice in the history or insights.
 * Output previews are not kept: they stay in the orchestrator's read model.
 */
final class ExecutionLogRows implements LogRows {
    /** The events, then the node statistics of those the insert added (not of redelivered ones). */
    private static final String INSERT_LOG = """
        WITH added AS (
            INSERT INTO execution_log (tier, occurred_at, tenant_id, execution_id, workflow_id, sequence, event_type, node_id, node_name,
                                       node_type, attempt, duration_ms, item_count, error_kind, error_message, facts, console, redacted)
            SELECT c.tier, c.occurred_at, c.tenant_id, c.execution_id, c.workflow_id, c.sequence, c.event_type, c.node_id, c.node_name,
                   c.node_type, c.attempt, c.duration_ms, c.item_count, c.error_kind, c.error_message, c.facts::jsonb, c.console::jsonb,
                   c.redacted::jsonb
            FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::int8[], $7::text[], $8::text[], $9::text[],
                        $10::text[], $11::int4[], $12::int8[], $13::int4[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
                 AS c(tier, occurred_at, tenant_id, execution_id, workflow_id, sequence, event_type, node_id, node_name, node_type, attempt,
                      duration_ms, item_count, error_kind, error_message, facts, console, redacted)
            ON CONFLICT DO NOTHING
            RETURNING tier, occurred_at, tenant_id, workflow_id, event_type, node_id, node_name, duration_ms, redacted
        ), %s
        INSERT INTO node_stats AS s (tier, day, tenant_id, workflow_id, node_id, bucket, runs, failures, node_name)
        SELECT tier, date_bin('1 day', occurred_at, '2000-01-01 00:00:00+00'), tenant_id, workflow_id, node_id,
               weft_duration_bucket(duration_ms), count(*), count(*) FILTER (WHERE event_type = 'node.failed'), max(node_name)
        FROM added WHERE event_type IN ('node.succeeded', 'node.failed') AND node_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 3, 2, 4, 5, 6
        ON CONFLICT (tenant_id, day, workflow_id, node_id, bucket, tier) DO UPDATE SET
            runs = s.runs + excluded.runs, failures = s.failures + excluded.failures,
            node_name = coalesce(excluded.node_name, s.node_name)""".formatted(RedactionStats.FROM_ADDED);

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

    private record LogRow(String tier, Instant occurredAt, UUID tenant, String executionId, String workflowId, long sequence,
                          String eventType, String nodeId, String nodeName, String nodeType, Integer attempt, Long durationMs,
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

    /** @param type the event's short type, e.g. {@code node.succeeded} */
    void add(UUID tenant, Tier tier, RedactionPolicy policy, ExecutionEvent event, String type) {
        RedactionCounts counts = new RedactionCounts();
        String nodeId = null;
        String nodeName = null;
        String nodeType = null;
        Integer attempt = null;
        Long duration = null;
        Integer items = null;
        ExecutionError error = null;
        List<ConsoleLine> console = null;
        ObjectNode facts = WeftJson.mapper().createObjectNode();
        switch (event) {
            case ExecutionEvent.ExecutionStarted started -> {
                facts.put("workflowVersion", started.workflowVersion()).put("resumed", started.resumed());
                if (started.trigger() != null) {
                    facts.put("trigger", started.trigger().name());
                }
            }
            case ExecutionEvent.NodeStarted started -> {
                nodeId = started.nodeId();
                nodeName = started.nodeName();
                nodeType = started.nodeType();
                attempt = started.attempt();
            }
            case ExecutionEvent.NodeSucceeded succeeded -> {
                nodeId = succeeded.nodeId();
                nodeName = succeeded.nodeName();
                attempt = succeeded.attempt();
                duration = succeeded.durationMs();
                items = succeeded.itemCount();
                console = succeeded.console();
            }
            case ExecutionEvent.NodeFailed failed -> {
                nodeId = failed.nodeId();
                nodeName = failed.nodeName();
                attempt = failed.attempt();
                duration = failed.durationMs();
                error = failed.error();
                console = failed.console();
                if (failed.handling() != null) {
                    facts.put("handling", failed.handling().name());
                }
            }
            case ExecutionEvent.NodeRetrying retrying -> {
                nodeId = retrying.nodeId();
                nodeName = retrying.nodeName();
                attempt = retrying.failedAttempt();
                error = retrying.error();
                if (retrying.retryAt() != null) {
                    facts.put("retryAt", retrying.retryAt().toString());
                }
            }
            case ExecutionEvent.ExecutionWaiting waiting -> {
                nodeId = waiting.nodeId();
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
                nodeId = responded.nodeId();
                facts.put("statusCode", responded.statusCode());
            }
            case ExecutionEvent.ExecutionSucceeded succeeded -> duration = succeeded.durationMs();
            case ExecutionEvent.ExecutionFailed failed -> {
                duration = failed.durationMs();
                error = failed.error();
                nodeId = failed.failedNodeId();
            }
            case ExecutionEvent.ExecutionCancelled cancelled -> {
                if (cancelled.requestedBy() != null) {
                    facts.put("requestedBy", cancelled.requestedBy());
                }
                if (cancelled.reason() != null) {
                    facts.put("reason", redactor.redact(cancelled.reason(), policy, counts));
                }
            }
        }
        String errorKind = error == null || error.kind() == null ? null : error.kind().name();
        String errorMessage = error == null ? null : Texts.clean(redactor.redact(error.message(), policy, counts), Texts.MESSAGE);
        if (error != null && error.details() != null && !error.details().isNull()) {
            facts.set("errorDetails", redactor.redact(error.details(), policy, counts));
        }
        if (error != null) {
            facts.put("retryable", error.retryable());
        }
        String consoleJson = console == null || console.isEmpty() ? null : text(redactor.redact(
                (JsonNode) WeftJson.mapper().valueToTree(console), policy, counts));
        String redacted = counts(counts);
        total.merge(counts);
        String tierName = tier.wireName();
        String executionId = Texts.clean(event.executionId(), Texts.NAME);
        String workflowId = Texts.clean(event.workflowId(), Texts.NAME);
        log.add(new LogRow(tierName, event.occurredAt(), tenant, executionId, workflowId, event.sequence(), type,
                Texts.clean(nodeId, Texts.NAME), Texts.clean(nodeName, Texts.NAME), Texts.clean(nodeType, Texts.NAME), attempt,
                duration, items, errorKind, errorMessage, facts.isEmpty() ? null : text(facts), consoleJson, redacted));
        days.add(PartitionDay.of(LogTable.EXECUTION_LOG, tier, event.occurredAt()));
        if (event instanceof ExecutionEvent.NodeSucceeded || event instanceof ExecutionEvent.NodeFailed) {
            days.add(PartitionDay.of(LogTable.NODE_STATS, tier, event.occurredAt()));
        }
        if (redacted != null) {
            days.add(PartitionDay.of(LogTable.REDACTION_STATS, tier, event.occurredAt()));
        }
        if (event.terminal()) {
            String status = switch (event) {
                case ExecutionEvent.ExecutionSucceeded ignored -> "succeeded";
                case ExecutionEvent.ExecutionFailed ignored -> "failed";
                default -> "cancelled";
            };
            Instant startedAt = duration == null ? null : event.occurredAt().minusMillis(duration);
            history.add(new HistoryRow(tierName, event.occurredAt(), tenant, executionId, workflowId, status, startedAt, duration,
                    Texts.clean(event instanceof ExecutionEvent.ExecutionFailed failed ? failed.failedNodeId() : null, Texts.NAME),
                    errorKind, errorMessage, redacted));
            days.add(PartitionDay.of(LogTable.EXECUTION_HISTORY, tier, event.occurredAt()));
            days.add(PartitionDay.of(LogTable.EXECUTION_STATS, tier, event.occurredAt()));
            days.add(PartitionDay.of(LogTable.EXECUTION_STATS_DAILY, tier, event.occurredAt()));
        }
    }

    @Override
    public Uni<Void> write(SqlConnection connection) {
        if (log.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<?> logged = connection.preparedQuery(INSERT_LOG).execute(Tuple.from(Arrays.asList(
                column(log, LogRow::tier, String[]::new), column(log, r -> utc(r.occurredAt()), OffsetDateTime[]::new),
                column(log, LogRow::tenant, UUID[]::new), column(log, LogRow::executionId, String[]::new),
                column(log, LogRow::workflowId, String[]::new), column(log, LogRow::sequence, Long[]::new),
                column(log, LogRow::eventType, String[]::new), column(log, LogRow::nodeId, String[]::new),
                column(log, LogRow::nodeName, String[]::new), column(log, LogRow::nodeType, String[]::new),
                column(log, LogRow::attempt, Integer[]::new), column(log, LogRow::durationMs, Long[]::new),
                column(log, LogRow::itemCount, Integer[]::new), column(log, LogRow::errorKind, String[]::new),
                column(log, LogRow::errorMessage, String[]::new), column(log, LogRow::facts, String[]::new),
                column(log, LogRow::console, String[]::new), column(log, LogRow::redacted, String[]::new))));
        if (history.isEmpty()) {
            return logged.replaceWithVoid();
        }
        return logged.chain(() -> connection.preparedQuery(INSERT_HISTORY).execute(Tuple.from(Arrays.asList(
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
