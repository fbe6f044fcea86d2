package io.weft.executor.runs;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.WeftEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The outbox of execution events ({@code event_outbox}): every write of a run stores the events that
 * describe it in the same transaction ({@link #insert}), the run publishes them once the write is
 * committed, and rows Kafka has acknowledged are deleted in batches. Rows that stay — their executor
 * died between the commit and the acknowledgement, or Kafka was away — are published by the
 * executor that takes the execution over ({@link #publishPending}) or by any executor's relay once
 * they are older than {@code weft.executor.outbox.grace} ({@link #relay}). Consumers drop the
 * duplicates that this at-least-once delivery makes by the events' sequence.
 */
@ApplicationScoped
public class EventOutbox {
    private static final Logger LOG = Logger.getLogger(EventOutbox.class);
    private static final int RELAY_BATCH = 500;
    private static final int DELETE_BATCH = 5_000;
    private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final ExecutionEvents events;
    private final Vertx vertx;
    private final Duration grace;
    private final Duration deleteEvery;
    private final CloudEventCodec codec = new CloudEventCodec(ExecutionEvents.SOURCE);
    private final Queue<Key> acknowledged = new ConcurrentLinkedQueue<>();
    private long deleting = -1;

    EventOutbox(Pool pool, ExecutionEvents events, Vertx vertx,
                @ConfigProperty(name = "weft.executor.outbox.grace", defaultValue = "10s") Duration grace,
                @ConfigProperty(name = "weft.executor.outbox.delete-every", defaultValue = "200ms") Duration deleteEvery) {
        this.pool = pool;
        this.events = events;
        this.vertx = vertx;
        this.grace = grace;
        this.deleteEvery = deleteEvery;
    }

    /** An event as the outbox stores it: its CloudEvents type and id, and its JSON. */
    record Encoded(ExecutionEvent event, String type, String data) {
    }

    private record Key(String executionId, long sequence) {
    }

    @PostConstruct
    void start() {
        deleting = vertx.setPeriodic(deleteEvery.toMillis(), id -> deleteAcknowledged());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(deleting);
    }

    Encoded encode(ExecutionEvent event) {
        CloudEvent message = codec.encode(event);
        return new Encoded(event, message.header(CloudEvent.HEADER_TYPE), new String(message.data(), StandardCharsets.UTF_8));
    }

    /**
     * An insert of {@code encoded} into the outbox, to be a data-modifying part of a caller's
     * statement: {@code from} (e.g. {@code "finished, "}) is what must exist for the rows to be written
     * (the lease), {@code execution} and {@code tenant} the SQL that gives their values, and the four
     * columns of {@link #columns} are the parameters from {@code $first} on.
     */
    static String insert(String from, String execution, String tenant, int first) {
        return "INSERT INTO event_outbox (execution_id, sequence, tenant_id, event_type, event_id, data)"
                + " SELECT " + execution + ", o.sequence, " + tenant + ", o.type, o.id, o.data FROM " + from
                + "unnest($" + first + "::int8[], $" + (first + 1) + "::text[], $" + (first + 2) + "::text[], $" + (first + 3)
                + "::text[]) AS o(sequence, type, id, data) ON CONFLICT DO NOTHING";
    }

    /** The parameters of {@link #insert}: sequences, types, ids, data. */
    static List<Object> columns(List<Encoded> encoded) {
        int n = encoded.size();
        Long[] sequences = new Long[n];
        String[] types = new String[n];
        String[] ids = new String[n];
        String[] data = new String[n];
        for (int i = 0; i < n; i++) {
            Encoded one = encoded.get(i);
            sequences[i] = one.event().sequence();
            types[i] = one.type();
            ids[i] = one.event().eventId();
            data[i] = one.data();
        }
        return Arrays.asList(sequences, types, ids, data);
    }

    /** Writes {@code encoded} on {@code client} (inside the caller's transaction) as a statement of its own. */
    static Uni<Void> write(SqlClient client, String executionId, String tenantId, List<Encoded> encoded) {
        if (encoded.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Object> parameters = new ArrayList<>(List.of(executionId, tenantId));
        parameters.addAll(columns(encoded));
        return client.preparedQuery(insert("", "$1", "$2", 3)).execute(Tuple.from(parameters)).replaceWithVoid();
    }

    /** Publishes a committed event; once Kafka has it, its row is deleted with the next batch. */
    CompletableFuture<Void> publish(ExecutionEvent event) {
        return events.publish(event).thenRun(() -> acknowledged.add(new Key(event.executionId(), event.sequence())));
    }

    /** Publishes an event that is not stored (a webhook's answer: someone waits for it, and a resumed run answers again). */
    CompletableFuture<Void> publishUnstored(ExecutionEvent event) {
        return events.publish(event);
    }

    /**
     * Publishes, in order, what a previous run of the execution committed and did not see published
     * (its executor died): called by the executor that takes it over, before its own events. Rows
     * younger than a second belong to a run that ended cleanly a moment ago and are being deleted.
     */
    void publishPending(String executionId) {
        int published = publishClaimed("""
                SELECT execution_id, sequence, event_type, data FROM event_outbox
                WHERE execution_id = $1 AND created_at < now() - interval '1 second'
                ORDER BY sequence FOR UPDATE SKIP LOCKED""", Tuple.of(executionId));
        if (published > 0) {
            LOG.infof("published %d event(s) of %s that its previous executor had committed", published, executionId);
        }
    }

    /** Publishes (and deletes) events older than the grace period: their executor died or Kafka was away. */
    int relay() {
        int published = publishClaimed("""
                SELECT execution_id, sequence, event_type, data FROM event_outbox
                WHERE created_at < now() - $1 * interval '1 millisecond'
                ORDER BY execution_id, sequence LIMIT $2 FOR UPDATE SKIP LOCKED""", Tuple.of(grace.toMillis(), RELAY_BATCH));
        if (published > 0) {
            LOG.infof("published %d execution event(s) left in the outbox", published);
        }
        return published;
    }

    /** Claims rows (no other executor publishes them meanwhile), publishes them in order, and deletes them. */
    private int publishClaimed(String select, Tuple parameters) {
        return pool.withTransaction(connection -> connection.preparedQuery(select).execute(parameters).chain(rows -> {
            if (rows.rowCount() == 0) {
                return Uni.createFrom().item(0);
            }
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            List<String> executions = new ArrayList<>();
            List<Long> sequences = new ArrayList<>();
            for (Row row : rows) {
                WeftEvent event = codec.decode(Map.of(CloudEvent.HEADER_SPEC_VERSION, CloudEvent.SPEC_VERSION,
                        CloudEvent.HEADER_TYPE, row.getString("event_type")), row.getString("data").getBytes(StandardCharsets.UTF_8));
                sent.add(events.publish((ExecutionEvent) event));
                executions.add(row.getString("execution_id"));
                sequences.add(row.getLong("sequence"));
            }
            return Uni.createFrom().completionStage(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)))
                    .chain(() -> delete(connection, executions.toArray(String[]::new), sequences.toArray(Long[]::new)))
                    .replaceWith(rows.rowCount());
        })).await().atMost(RELAY_TIMEOUT);
    }

    private void deleteAcknowledged() {
        if (acknowledged.isEmpty()) {
            return;
        }
        List<String> executions = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        Key key;
        while (executions.size() < DELETE_BATCH && (key = acknowledged.poll()) != null) {
            executions.add(key.executionId());
            sequences.add(key.sequence());
        }
        delete(pool, executions.toArray(String[]::new), sequences.toArray(Long[]::new)).subscribe().with(
                ignored -> {
                },
                failure -> LOG.warnf("published events could not be deleted from the outbox (%s); the relay publishes them again",
                        failure.getMessage()));
    }

    private static Uni<Void> delete(SqlClient client, String[] executions, Long[] sequences) {
        return client.preparedQuery("DELETE FROM event_outbox o USING unnest($1::text[], $2::int8[]) AS d(execution_id, sequence)"
                        + " WHERE o.execution_id = d.execution_id AND o.sequence = d.sequence")
                .execute(Tuple.of(executions, sequences)).replaceWithVoid();
    }
}
