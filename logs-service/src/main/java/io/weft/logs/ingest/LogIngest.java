package io.weft.logs.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.EventType;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.contracts.events.WeftEvent;
import io.weft.contracts.identity.Tier;
import io.weft.logs.LogsConfig;
import io.weft.logs.partitions.LogPartitions;
import io.weft.logs.partitions.LogRetention;
import io.weft.logs.redaction.RedactionCategory;
import io.weft.logs.redaction.RedactionCounts;
import io.weft.logs.redaction.RedactionPolicies;
import io.weft.logs.redaction.RedactionPolicy;
import io.weft.logs.redaction.Redactor;
import io.weft.logs.tenants.TenantTier;
import io.weft.logs.tenants.TenantTiers;
import io.weft.platform.events.KafkaCloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Stores what the fleet publishes — execution events, the audit trail, dead letters — in
 * batches: each Kafka batch becomes one transaction of a few multi-row statements, after its
 * rows are redacted by their tenants' policies. The next batch is read while earlier ones are
 * written ({@link BatchWrites}). A batch that cannot be written (database down, tiers unknown
 * while the gateway is down) is tried again until it can, so nothing is skipped; records that
 * cannot be read, and events older than their tier keeps, are left out.
 */
@ApplicationScoped
public class LogIngest {
    private static final Logger LOG = Logger.getLogger(LogIngest.class);

    private final KafkaCloudEvents records = new KafkaCloudEvents(new CloudEventCodec("/weft/logs-service"));
    private final Redactor redactor = new Redactor();
    private final BatchWrites executionWrites;
    private final BatchWrites auditWrites;
    private final BatchWrites deadLetterWrites;
    private final TenantTiers tiers;
    private final RedactionPolicies policies;
    private final LogRetention retention;
    private final MeterRegistry metrics;

    LogIngest(Pool pool, TenantTiers tiers, RedactionPolicies policies, LogPartitions partitions, LogRetention retention,
              LogsConfig config, MeterRegistry metrics) {
        // One per topic: a batch that cannot be stored holds up its own topic only.
        this.executionWrites = new BatchWrites(pool, partitions, config.ingestWritesAtOnce());
        this.auditWrites = new BatchWrites(pool, partitions, config.ingestWritesAtOnce());
        this.deadLetterWrites = new BatchWrites(pool, partitions, config.ingestWritesAtOnce());
        this.tiers = tiers;
        this.policies = policies;
        this.retention = retention;
        this.metrics = metrics;
    }

    /** What a batch's tenants need: their tiers and policies. */
    private record Tenants(Map<UUID, TenantTier> tiers, Map<UUID, RedactionPolicy> policies) {
        TenantTier tier(UUID tenant) {
            return tenant == null ? TenantTier.of(Tier.FREE) : tiers.get(tenant);
        }

        RedactionPolicy policy(UUID tenant) {
            return tenant == null ? RedactionPolicy.all() : policies.get(tenant);
        }
    }

    @Incoming("execution-events")
    public Uni<Void> onExecutionEvents(KafkaRecordBatch<String, byte[]> batch) {
        List<ExecutionEvent> events = read(batch, ExecutionEvent.class);
        return store(executionWrites, batch, "execution events", events, ExecutionEvent::tenantId, tenants -> {
            ExecutionLogRows rows = new ExecutionLogRows(redactor);
            for (ExecutionEvent event : events) {
                UUID tenant = tenantOf(event.tenantId());
                TenantTier tier = tenants.tier(tenant);
                if (tenant != null && event.executionId() != null && event.workflowId() != null && event.occurredAt() != null
                        && retention.keeps(tier.tier(), event.occurredAt())) {
                    rows.add(tenant, tier.tier(), tenants.policy(tenant), event, shortType(event));
                    lookUnderEveryTier(rows, tier, event.occurredAt());
                }
            }
            return rows;
        });
    }

    @Incoming("audit")
    public Uni<Void> onAudit(KafkaRecordBatch<String, byte[]> batch) {
        List<AuditEvent> events = read(batch, AuditEvent.class);
        return store(auditWrites, batch, "audit events", events, AuditEvent::tenantId, tenants -> {
            AuditRows rows = new AuditRows(redactor);
            for (AuditEvent event : events) {
                UUID tenant = tenantOf(event.tenantId());
                TenantTier tier = tenants.tier(tenant);
                if (event.eventId() != null && event.action() != null && event.occurredAt() != null
                        && retention.keeps(tier.tier(), event.occurredAt())) {
                    rows.add(tenant, tier.tier(), tenants.policy(tenant), event);
                    lookUnderEveryTier(rows, tier, event.occurredAt());
                }
            }
            return rows;
        });
    }

    @Incoming("dead-letters")
    public Uni<Void> onDeadLetters(KafkaRecordBatch<String, byte[]> batch) {
        List<DeadLetter> letters = read(batch, DeadLetter.class);
        return store(deadLetterWrites, batch, "dead letters", letters, DeadLetter::tenantId, tenants -> {
            AuditRows rows = new AuditRows(redactor);
            for (DeadLetter letter : letters) {
                UUID tenant = tenantOf(letter.tenantId());
                TenantTier tier = tenants.tier(tenant);
                if (letter.eventId() != null && letter.reason() != null && letter.occurredAt() != null
                        && retention.keeps(tier.tier(), letter.occurredAt())) {
                    rows.add(tenant, tier.tier(), tenants.policy(tenant), letter);
                    lookUnderEveryTier(rows, tier, letter.occurredAt());
                }
            }
            return rows;
        });
    }

    /**
     * Learns the batch's tenants, makes their rows and hands them to {@link BatchWrites}, which
     * acknowledges the batch once they are stored.
     */
    private <E> Uni<Void> store(BatchWrites writes, KafkaRecordBatch<String, byte[]> batch, String what, List<E> events,
                                Function<E, String> tenantOf, Function<Tenants, LogRows> rows) {
        if (events.isEmpty()) {
            return Uni.createFrom().completionStage(batch::ack);
        }
        Set<UUID> tenants = new HashSet<>();
        for (E event : events) {
            UUID tenant = tenantOf(tenantOf.apply(event));
            if (tenant != null) {
                tenants.add(tenant);
            }
        }
        Uni<LogRows> prepare = Uni.createFrom().deferred(() -> tiers.of(tenants)
                .chain(known -> policies.of(tenants).map(chosen -> rows.apply(new Tenants(known, chosen)))));
        return writes.submit(batch, events.size() + " " + what, prepare, stored -> count(stored.redacted()));
    }

    /** An event from before its tenant's change of tier may be a redelivery already stored under the earlier tier. */
    private static void lookUnderEveryTier(LogRows rows, TenantTier tier, Instant occurredAt) {
        if (tier.mayBeStoredUnderEarlierTier(occurredAt)) {
            rows.lookUnderEveryTier();
        }
    }

    private <E extends WeftEvent> List<E> read(KafkaRecordBatch<String, byte[]> batch, Class<E> kind) {
        @SuppressWarnings("unchecked")
        ConsumerRecords<String, byte[]> records = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .map(metadata -> (ConsumerRecords<String, byte[]>) metadata.getRecords())
                .orElseThrow(() -> new IllegalStateException("a Kafka batch without its records"));
        return read(records, kind);
    }

    private <E extends WeftEvent> List<E> read(ConsumerRecords<String, byte[]> batch, Class<E> kind) {
        List<E> events = new ArrayList<>(batch.count());
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                WeftEvent event = records.fromRecord(record);
                if (kind.isInstance(event)) {
                    events.add(kind.cast(event));
                } else {
                    LOG.warnf("skipping a record that is not a %s at %s-%d@%d", kind.getSimpleName(), record.topic(), record.partition(),
                            record.offset());
                }
            } catch (UnreadableEventException e) {
                LOG.warnf("skipping an unreadable record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
            }
        }
        return events;
    }

    private static UUID tenantOf(String tenant) {
        if (tenant == null || tenant.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(tenant);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code dev.weft.node.succeeded.v1} → {@code node.succeeded}. */
    static String shortType(WeftEvent event) {
        String type = EventType.of(event).ceType();
        return type.substring("dev.weft.".length(), type.lastIndexOf(".v"));
    }

    private void count(RedactionCounts counts) {
        for (RedactionCategory category : RedactionCategory.values()) {
            int count = counts.count(category);
            if (count > 0) {
                metrics.counter("weft.logs.redacted", "category", category.wireName()).increment(count);
            }
        }
    }
}
