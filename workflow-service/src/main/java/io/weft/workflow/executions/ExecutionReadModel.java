package io.weft.workflow.executions;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.contracts.events.WeftEvent;
import io.weft.platform.events.KafkaCloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Builds the executions read model from {@code weft.execution.events} (consumer group
 * {@code weft-workflow-executions}): each batch of records is folded and written in one
 * transaction of two statements (the executions, then their nodes) ({@link ExecutionProjection}). A batch that cannot be written (the database is down) is tried again until it can, so
 * the read model never skips an event; records that are not execution events are skipped.
 */
@ApplicationScoped
public class ExecutionReadModel {
    private static final Logger LOG = Logger.getLogger(ExecutionReadModel.class);

    private final Pool pool;
    private final KafkaCloudEvents records = new KafkaCloudEvents(new CloudEventCodec("/weft/workflow-service"));

    ExecutionReadModel(Pool pool) {
        this.pool = pool;
    }

    private record Tenanted(UUID tenant, ExecutionEvent event) {
    }

    @Incoming("execution-events")
    public Uni<Void> onEvents(ConsumerRecords<String, byte[]> batch) {
        List<Tenanted> events = new ArrayList<>(batch.count());
        for (ConsumerRecord<String, byte[]> record : batch) {
            Tenanted event = read(record);
            if (event != null) {
                events.add(event);
            }
        }
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ExecutionProjection projection = new ExecutionProjection();
        events.forEach(e -> projection.add(e.tenant(), e.event()));
        return pool.withTransaction(projection::write)
                .onFailure().invoke(failure -> LOG.warnf("cannot write %d execution events to the read model, trying again: %s",
                        events.size(), failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).indefinitely();
    }

    private Tenanted read(ConsumerRecord<String, byte[]> record) {
        WeftEvent event;
        try {
            event = records.fromRecord(record);
        } catch (UnreadableEventException e) {
            LOG.warnf("skipping an unreadable record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return null;
        }
        if (!(event instanceof ExecutionEvent execution) || execution.executionId() == null || execution.workflowId() == null) {
            LOG.warnf("skipping a record that is not an execution event at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return null;
        }
        try {
            return new Tenanted(UUID.fromString(execution.tenantId()), execution);
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warnf("skipping execution event of %s: its tenant is not a tenant id", execution.executionId());
            return null;
        }
    }
}
