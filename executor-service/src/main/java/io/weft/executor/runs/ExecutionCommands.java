package io.weft.executor.runs;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.contracts.events.WeftEvent;
import io.weft.executor.deadletters.DeadLetters;
import io.weft.platform.events.KafkaCloudEvents;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Cancel, pause, resume and approval decisions from {@code weft.execution.control}, read twice:
 * <ul>
 *   <li>by the executors' shared group ({@code execution-control}), which makes each command
 *       durable — also before any executor has taken the execution — and acts on executions that
 *       run nowhere: a paused one is cancelled or resumed (the resumed run happens here, on this
 *       consumer's worker thread, and continues from its checkpoints);</li>
 *   <li>by every executor on its own ({@code execution-signals}, a group per instance, newest
 *       messages only), which hands the command to the run if it happens here, so that it takes
 *       effect at once: before the next node, and a cancel stops the running node.</li>
 * </ul>
 * A missed signal is caught up by the heartbeat, which reads the pending command with the lease.
 */
@ApplicationScoped
public class ExecutionCommands {
    private static final Logger LOG = Logger.getLogger(ExecutionCommands.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a decision waits for its run to park at the approval before it leaves the run to find it at its time limit. */
    private static final Duration PARKING_PATIENCE = Duration.ofSeconds(30);

    /** Who asked for a command and why. */
    public record Requested(String requestedBy, String reason) {
    }

    private final Pool pool;
    private final Executions executions;
    private final RunningExecutions running;
    private final EventOutbox outbox;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Duration leaseFor;
    private volatile boolean stopping;
    private final KafkaCloudEvents codec = new KafkaCloudEvents(new CloudEventCodec("/weft/executor-service"));

    ExecutionCommands(Pool pool, Executions executions, RunningExecutions running, EventOutbox outbox, DeadLetters deadLetters,
                      Clock clock, @ConfigProperty(name = "weft.executor.lease", defaultValue = "30s") Duration leaseFor) {
        this.pool = pool;
        this.executions = executions;
        this.running = running;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.leaseFor = leaseFor;
    }

    @Incoming("execution-signals")
    public void onSignal(ConsumerRecord<String, byte[]> record) {
        try {
            if (codec.fromRecord(record) instanceof ExecutionControl command) {
                running.signal(command);
            }
        } catch (UnreadableEventException e) {
            // the shared group stores it as a dead letter; every executor need not
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Incoming("execution-control")
    @Blocking(ordered = false)
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        WeftEvent event;
        try {
            event = codec.fromRecord(record);
        } catch (UnreadableEventException e) {
            Unreachable.retry(record, () -> stopping, () -> deadLetters.record(record, DeadLetter.Reason.UNREADABLE_MESSAGE, e.getMessage()));
            return;
        }
        if (event instanceof ExecutionControl command) {
            Unreachable.retry(record, () -> stopping, () -> carryOut(command));
        } else {
            Unreachable.retry(record, () -> stopping, () -> deadLetters.record(record, DeadLetter.Reason.UNKNOWN_EVENT_TYPE,
                    event.getClass().getSimpleName() + " is not an execution command"));
        }
    }

    private void carryOut(ExecutionControl command) {
        Effect effect = apply(command).await().atMost(STORE_TIMEOUT);
        // A decision that comes while its run is still on its way to parking (it opened the approval a moment ago) waits for it.
        long until = System.nanoTime() + PARKING_PATIENCE.toNanos();
        while (effect instanceof Effect.NotParkedYet && System.nanoTime() < until && !stopping) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            effect = apply(command).await().atMost(STORE_TIMEOUT);
        }
        switch (effect) {
            case Effect.CancelledWhileParked cancelled -> outbox.publish(cancelled.event()).exceptionally(failure -> {
                LOG.warnf("the cancel of %s is stored; its event waits in the outbox for the relay (%s)", command.executionId(),
                        failure.getMessage());
                return null;
            }).join();
            case Effect.Resume resume -> executions.run(resume.request());
            case Effect.None none -> LOG.debugf("%s for %s: %s", command.getClass().getSimpleName(), command.executionId(), none.why());
            case Effect.NotParkedYet ignored -> LOG.infof("the decision for %s came while it kept running; it reads the decision when its"
                    + " approval's time limit wakes it", command.executionId());
        }
    }

    sealed interface Effect {
        record None(String why) implements Effect {
        }

        /** @param event stored in the outbox with the cancel, to be published */
        record CancelledWhileParked(ExecutionEvent event) implements Effect {
        }

        record Resume(ExecutionRequested request) implements Effect {
        }

        /** A run that is still running (not yet parked at its approval, or busy in another branch). */
        record NotParkedYet() implements Effect {
        }
    }

    /** Records the command and, under the execution's row lock, does what it means for the execution's state. */
    Uni<Effect> apply(ExecutionControl command) {
        return pool.withTransaction(connection -> remember(connection, command)
                .chain(() -> connection.preparedQuery("SELECT status, command FROM executions WHERE id = $1 AND tenant_id = $2 FOR UPDATE")
                        .execute(Tuple.of(command.executionId(), command.tenantId())))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().<Effect>item(new Effect.None("kept until an executor takes the execution"));
                    }
                    Row row = rows.iterator().next();
                    return act(connection, command, row.getString("status"), row.getString("command"));
                }));
    }

    private static Uni<Void> remember(SqlConnection connection, ExecutionControl command) {
        Tuple key = Tuple.of(command.executionId(), command.tenantId());
        return switch (command) {
            case ExecutionControl.Cancel cancel -> connection.preparedQuery("""
                            INSERT INTO execution_commands (execution_id, tenant_id, command, requested_by, reason)
                            VALUES ($1, $2, 'cancel', $3, $4)
                            ON CONFLICT (tenant_id, execution_id) DO UPDATE SET command = 'cancel',
                                   requested_by = excluded.requested_by, reason = excluded.reason, requested_at = now()""")
                    .execute(Tuple.of(cancel.executionId(), cancel.tenantId(), cancel.requestedBy(), cancel.reason())).replaceWithVoid();
            case ExecutionControl.Pause pause -> connection.preparedQuery("""
                            INSERT INTO execution_commands (execution_id, tenant_id, command, requested_by)
                            VALUES ($1, $2, 'pause', $3) ON CONFLICT (tenant_id, execution_id) DO NOTHING""")
                    .execute(Tuple.of(pause.executionId(), pause.tenantId(), pause.requestedBy())).replaceWithVoid();
            case ExecutionControl.Resume ignored -> connection.preparedQuery(
                            "DELETE FROM execution_commands WHERE execution_id = $1 AND tenant_id = $2 AND command = 'pause'")
                    .execute(key).replaceWithVoid();
            case ExecutionControl.ApprovalDecided ignored -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Effect> act(SqlConnection connection, ExecutionControl command, String status, String pending) {
        Tuple key = Tuple.of(command.executionId(), command.tenantId());
        switch (command) {
            case ExecutionControl.Cancel ignored -> {
                if ("running".equals(status)) {
                    return connection.preparedQuery("UPDATE executions SET command = 'cancel' WHERE id = $1 AND tenant_id = $2")
                            .execute(key).replaceWith(new Effect.None("the executor running it stops it"));
                }
                if ("paused".equals(status) || "waiting".equals(status)) {
                    return connection.preparedQuery("""
                                    UPDATE executions SET status = 'cancelled', command = 'cancel', finished_at = now(),
                                           sequence = sequence + 1
                                    WHERE id = $1 AND tenant_id = $2 RETURNING workflow_id, sequence""")
                            .execute(key).chain(rows -> {
                                Row row = rows.iterator().next();
                                ExecutionEvent event = new ExecutionEvent.ExecutionCancelled(UUID.randomUUID().toString(),
                                        command.tenantId(), command.executionId(), row.getString("workflow_id"), row.getLong("sequence"),
                                        command.requestedBy(), ((ExecutionControl.Cancel) command).reason(), java.util.List.of(),
                                        clock.instant());
                                return EventOutbox.write(connection, command.executionId(), command.tenantId(),
                                        java.util.List.of(outbox.encode(event))).replaceWith(new Effect.CancelledWhileParked(event));
                            });
                }
            }
            case ExecutionControl.Pause ignored -> {
                if ("running".equals(status) && pending == null) {
                    return connection.preparedQuery("UPDATE executions SET command = 'pause' WHERE id = $1 AND tenant_id = $2")
                            .execute(key).replaceWith(new Effect.None("pauses before its next node"));
                }
            }
            case ExecutionControl.Resume ignored -> {
                if ("running".equals(status) && "pause".equals(pending)) {
                    return connection.preparedQuery("UPDATE executions SET command = NULL WHERE id = $1 AND tenant_id = $2")
                            .execute(key).replaceWith(new Effect.None("the pause was withdrawn before it took effect"));
                }
                if ("paused".equals(status)) {
                    return connection.preparedQuery("""
                                    UPDATE executions e SET status = 'running', command = NULL, lease_owner = $3,
                                           lease_until = now() + $4 * interval '1 millisecond'
                                    WHERE e.id = $1 AND e.tenant_id = $2
                                    RETURNING\s""" + StoredRequests.COLUMNS)
                            .execute(Tuple.of(command.executionId(), command.tenantId(), executions.executorId(), leaseFor.toMillis()))
                            .map(rows -> new Effect.Resume(StoredRequests.from(rows.iterator().next(), clock.instant())));
                }
            }
            case ExecutionControl.ApprovalDecided ignored -> {
                if ("waiting".equals(status)) { // woken now, as the sweeper wakes it when its time comes
                    return connection.preparedQuery("""
                                    UPDATE executions e SET status = 'running', resume_at = NULL, lease_owner = $3,
                                           lease_until = now() + $4 * interval '1 millisecond'
                                    WHERE e.id = $1 AND e.tenant_id = $2
                                    RETURNING\s""" + StoredRequests.COLUMNS)
                            .execute(Tuple.of(command.executionId(), command.tenantId(), executions.executorId(), leaseFor.toMillis()))
                            .map(rows -> new Effect.Resume(StoredRequests.from(rows.iterator().next(), clock.instant())));
                }
                if ("running".equals(status)) {
                    return Uni.createFrom().item(new Effect.NotParkedYet());
                }
            }
        }
        return Uni.createFrom().item(new Effect.None("nothing to do while it is " + status));
    }
}
