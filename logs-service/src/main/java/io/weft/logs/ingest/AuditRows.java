package io.weft.logs.ingest;

import static io.weft.logs.ingest.ExecutionLogRows.column;
import static io.weft.logs.ingest.ExecutionLogRows.counts;
import static io.weft.logs.ingest.ExecutionLogRows.text;
import static io.weft.logs.ingest.ExecutionLogRows.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.identity.Tier;
import io.weft.logs.partitions.LogTable;
import io.weft.logs.partitions.PartitionDay;
import io.weft.logs.redaction.RedactionCounts;
import io.weft.logs.redaction.RedactionPolicy;
import io.weft.logs.redaction.Redactor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A batch of audit events and dead letters as redacted rows of {@code audit_log} and
 * {@code dead_letters}; redelivered events are dropped by the tables' keys (event id and time; under
 * any tier when the tenant's tier changed lately).
 */
final class AuditRows implements LogRows {
    /** The audit events, then the redaction counts of those the insert added. */
    private static final String INSERT_AUDIT = """
        WITH added AS (
            INSERT INTO audit_log (tier, occurred_at, event_id, tenant_id, actor_type, actor_id, action, object_type, object_id, outcome,
                                   source_ip, details, redacted)
            SELECT c.tier, c.occurred_at, c.event_id, c.tenant_id, c.actor_type, c.actor_id, c.action, c.object_type, c.object_id, c.outcome,
                   c.source_ip, c.details::jsonb, c.redacted::jsonb
            FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                        $10::text[], $11::text[], $12::text[], $13::text[])
                 AS c(tier, occurred_at, event_id, tenant_id, actor_type, actor_id, action, object_type, object_id, outcome, source_ip,
                      details, redacted)
            ON CONFLICT DO NOTHING
            RETURNING tier, occurred_at, tenant_id, redacted
        ), %s
        SELECT 1""".formatted(RedactionStats.FROM_ADDED);

    /** The dead letters, then the redaction counts of those the insert added. */
    private static final String INSERT_DEAD_LETTERS = """
        WITH added AS (
            INSERT INTO dead_letters (tier, occurred_at, event_id, tenant_id, execution_id, source_topic, source_partition, source_offset,
                                      reason, message, payload_preview, attempts, redacted)
            SELECT c.tier, c.occurred_at, c.event_id, c.tenant_id, c.execution_id, c.source_topic, c.source_partition, c.source_offset,
                   c.reason, c.message, c.payload_preview, c.attempts, c.redacted::jsonb
            FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::int4[], $8::int8[], $9::text[],
                        $10::text[], $11::text[], $12::int4[], $13::text[])
                 AS c(tier, occurred_at, event_id, tenant_id, execution_id, source_topic, source_partition, source_offset, reason, message,
                      payload_preview, attempts, redacted)
            ON CONFLICT DO NOTHING
            RETURNING tier, occurred_at, tenant_id, redacted
        ), %s
        SELECT 1""".formatted(RedactionStats.FROM_ADDED);

    private static final String INSERT_AUDIT_UNDER_EVERY_TIER = LogRows.underEveryTier(INSERT_AUDIT,
            "NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.event_id = c.event_id AND a.occurred_at = c.occurred_at)");
    private static final String INSERT_DEAD_LETTERS_UNDER_EVERY_TIER = LogRows.underEveryTier(INSERT_DEAD_LETTERS,
            "NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.event_id = c.event_id AND d.occurred_at = c.occurred_at)");

    private record AuditRow(String tier, Instant occurredAt, String eventId, UUID tenant, String actorType, String actorId,
                            String action, String objectType, String objectId, String outcome, String sourceIp, String details,
                            String redacted) {
    }

    private record DeadLetterRow(String tier, Instant occurredAt, String eventId, UUID tenant, String executionId, String sourceTopic,
                                 Integer sourcePartition, Long sourceOffset, String reason, String message, String payloadPreview,
                                 Integer attempts, String redacted) {
    }

    private final Redactor redactor;
    private final List<AuditRow> audit = new ArrayList<>();
    private final List<DeadLetterRow> deadLetters = new ArrayList<>();
    private final List<PartitionDay> days = new ArrayList<>();
    private final RedactionCounts total = new RedactionCounts();
    private boolean underEveryTier;

    AuditRows(Redactor redactor) {
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

    /** @param tenant null for events of no tenant */
    void add(UUID tenant, Tier tier, RedactionPolicy policy, AuditEvent event) {
        RedactionCounts counts = new RedactionCounts();
        String details = event.details() == null || event.details().isNull() ? null : text(redactor.redact(event.details(), policy, counts));
        AuditEvent.Actor actor = event.actor();
        audit.add(new AuditRow(tier.wireName(), event.occurredAt(), Texts.clean(event.eventId(), Texts.NAME), tenant,
                actor == null || actor.type() == null ? null : actor.type().name(), actor == null ? null : Texts.clean(actor.id(), Texts.NAME),
                Texts.clean(event.action(), Texts.NAME), Texts.clean(event.objectType(), Texts.NAME),
                Texts.clean(event.objectId(), Texts.NAME), event.outcome() == null ? null : event.outcome().name(),
                Texts.clean(event.sourceIp(), Texts.NAME), details, counts(counts)));
        total.merge(counts);
        days.add(PartitionDay.of(LogTable.AUDIT_LOG, tier, event.occurredAt()));
        if (!counts.isEmpty()) {
            days.add(PartitionDay.of(LogTable.REDACTION_STATS, tier, event.occurredAt()));
        }
    }

    void add(UUID tenant, Tier tier, RedactionPolicy policy, DeadLetter letter) {
        RedactionCounts counts = new RedactionCounts();
        deadLetters.add(new DeadLetterRow(tier.wireName(), letter.occurredAt(), Texts.clean(letter.eventId(), Texts.NAME), tenant,
                Texts.clean(letter.executionId(), Texts.NAME), Texts.clean(letter.sourceTopic(), Texts.NAME), letter.sourcePartition(),
                letter.sourceOffset(), letter.reason().name(),
                Texts.clean(redactor.redact(letter.message(), policy, counts), Texts.MESSAGE),
                Texts.clean(redactor.redact(letter.payloadPreview(), policy, counts), Texts.MESSAGE), letter.attempts(),
                counts(counts)));
        total.merge(counts);
        days.add(PartitionDay.of(LogTable.DEAD_LETTERS, tier, letter.occurredAt()));
        if (!counts.isEmpty()) {
            days.add(PartitionDay.of(LogTable.REDACTION_STATS, tier, letter.occurredAt()));
        }
    }

    @Override
    public boolean isEmpty() {
        return audit.isEmpty() && deadLetters.isEmpty();
    }

    @Override
    public void lookUnderEveryTier() {
        underEveryTier = true;
    }

    @Override
    public Uni<Void> write(SqlConnection connection) {
        Uni<Void> audited = audit.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(underEveryTier ? INSERT_AUDIT_UNDER_EVERY_TIER : INSERT_AUDIT).execute(Tuple.from(Arrays.asList(
                        column(audit, AuditRow::tier, String[]::new), column(audit, r -> utc(r.occurredAt()), OffsetDateTime[]::new),
                        column(audit, AuditRow::eventId, String[]::new), column(audit, AuditRow::tenant, UUID[]::new),
                        column(audit, AuditRow::actorType, String[]::new), column(audit, AuditRow::actorId, String[]::new),
                        column(audit, AuditRow::action, String[]::new), column(audit, AuditRow::objectType, String[]::new),
                        column(audit, AuditRow::objectId, String[]::new), column(audit, AuditRow::outcome, String[]::new),
                        column(audit, AuditRow::sourceIp, String[]::new), column(audit, AuditRow::details, String[]::new),
                        column(audit, AuditRow::redacted, String[]::new)))).replaceWithVoid();
        if (deadLetters.isEmpty()) {
            return audited;
        }
        return audited.chain(() -> connection.preparedQuery(underEveryTier ? INSERT_DEAD_LETTERS_UNDER_EVERY_TIER : INSERT_DEAD_LETTERS).execute(Tuple.from(Arrays.asList(
                column(deadLetters, DeadLetterRow::tier, String[]::new), column(deadLetters, r -> utc(r.occurredAt()), OffsetDateTime[]::new),
                column(deadLetters, DeadLetterRow::eventId, String[]::new), column(deadLetters, DeadLetterRow::tenant, UUID[]::new),
                column(deadLetters, DeadLetterRow::executionId, String[]::new), column(deadLetters, DeadLetterRow::sourceTopic, String[]::new),
                column(deadLetters, DeadLetterRow::sourcePartition, Integer[]::new),
                column(deadLetters, DeadLetterRow::sourceOffset, Long[]::new), column(deadLetters, DeadLetterRow::reason, String[]::new),
                column(deadLetters, DeadLetterRow::message, String[]::new), column(deadLetters, DeadLetterRow::payloadPreview, String[]::new),
                column(deadLetters, DeadLetterRow::attempts, Integer[]::new), column(deadLetters, DeadLetterRow::redacted, String[]::new)))))
                .replaceWithVoid();
    }
}
