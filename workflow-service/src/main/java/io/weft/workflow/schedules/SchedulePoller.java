package io.weft.workflow.schedules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.workflow.executions.Executors;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fires due schedules, every second on every replica. A replica claims due rows of active
 * versions with {@code FOR UPDATE SKIP LOCKED}, requests their ticks and moves them on, in one
 * transaction: another replica skips what is claimed. Each tick's execution id is derived from
 * (workflow, node, tick), so a tick requested again after a failed commit is the same execution,
 * which the executor runs once.
 *
 * <p>When a schedule's next tick is more than {@code weft.workflow.schedules.misfire-after} late (no
 * replica ran), the ticks since then are missed: {@code skip} drops them, {@code runOnce} runs the
 * latest of them once.
 */
@ApplicationScoped
public class SchedulePoller {
    private static final Logger LOG = Logger.getLogger(SchedulePoller.class);
    private static final int CLAIMED_PER_POLL = 100;
    private static final int TICKS_PER_SCHEDULE = 20;

    private final Pool pool;
    private final Executors executors;
    private final Clock clock;
    private final Duration misfireAfter;

    SchedulePoller(Pool pool, Executors executors, Clock clock,
                   @ConfigProperty(name = "weft.workflow.schedules.misfire-after", defaultValue = "60s") Duration misfireAfter) {
        this.pool = pool;
        this.executors = executors;
        this.clock = clock;
        this.misfireAfter = misfireAfter;
    }

    @Scheduled(every = "${weft.workflow.schedules.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        return fireDue().onFailure().invoke(failure -> LOG.warnf("schedules could not be fired this time: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Fires what is due now; answers how many ticks were requested. */
    public Uni<Integer> fireDue() {
        Instant now = clock.instant();
        return pool.withTransaction(connection -> ScheduleStore.claimDue(connection, "tick", now, CLAIMED_PER_POLL)
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(row -> fire(connection, row, now))
                        .collect().asList()
                        .map(fired -> fired.stream().mapToInt(Integer::intValue).sum())));
    }

    private Uni<Integer> fire(SqlConnection connection, Row row, Instant now) {
        UUID workflowId = row.getUUID("workflow_id");
        String nodeId = row.getString("node_id");
        CronSchedule schedule;
        try {
            schedule = CronSchedule.of(row.getString("cron"), row.getString("timezone"));
        } catch (IllegalArgumentException e) {
            LOG.errorf("schedule %s/%s cannot fire: %s", workflowId, nodeId, e.getMessage());
            return Uni.createFrom().item(0);
        }
        List<Instant> ticks = new ArrayList<>();
        Instant due = row.getOffsetDateTime("next_fire_at").toInstant();
        if (due.isBefore(now.minus(misfireAfter))) {
            if ("runOnce".equals(row.getString("when_missed"))) {
                schedule.last(now).filter(tick -> !tick.isBefore(due)).ifPresent(ticks::add);
            }
        } else {
            Instant tick = due;
            while (tick != null && !tick.isAfter(now) && ticks.size() < TICKS_PER_SCHEDULE) {
                ticks.add(tick);
                tick = schedule.next(tick).orElse(null);
            }
        }
        Instant next = schedule.next(ticks.isEmpty() ? now : ticks.get(ticks.size() - 1)).orElse(null);
        if (next != null && !next.isAfter(now) && ticks.size() < TICKS_PER_SCHEDULE) {
            next = schedule.next(now).orElse(null);
        }
        Uni<Void> requested = Multi.createFrom().iterable(ticks)
                .onItem().transformToUniAndConcatenate(tick -> executors.queue(request(row, tick))
                        // A workflow at its limit that refuses runs drops the tick; the schedule goes on. So does the
                        // tick of a suspended tenant: its schedules pause, and do not catch up once it is reactivated.
                        .onFailure(failure -> failure instanceof ProblemException problem
                                && (problem.type() == ProblemType.RATE_LIMITED || problem.type() == ProblemType.FORBIDDEN))
                        .recoverWithItem(failure -> {
                            LOG.infof("schedule %s/%s: tick %s dropped: %s", workflowId, nodeId, tick, failure.getMessage());
                            return null;
                        }))
                .collect().last().replaceWithVoid();
        Uni<?> moved = next == null
                ? connection.preparedQuery("DELETE FROM schedules WHERE workflow_id = $1 AND version = $2 AND node_id = $3")
                        .execute(Tuple.of(workflowId, row.getInteger("version"), nodeId))
                : connection.preparedQuery("UPDATE schedules SET next_fire_at = $4 WHERE workflow_id = $1 AND version = $2 AND node_id = $3")
                        .execute(Tuple.of(workflowId, row.getInteger("version"), nodeId, next.atOffset(ZoneOffset.UTC)));
        return requested.chain(() -> moved).replaceWith(ticks.size());
    }

    private static ExecutionRequested request(Row row, Instant tick) {
        String workflowId = row.getUUID("workflow_id").toString();
        String nodeId = row.getString("node_id");
        ObjectNode item = WeftJson.mapper().createObjectNode().put("timestamp", tick.toString())
                .put("timezone", row.getString("timezone")).put("cron", row.getString("cron"));
        String executionId = UUID.nameUUIDFromBytes(("schedule:" + workflowId + ":" + nodeId + ":" + tick)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new ExecutionRequested(UUID.randomUUID().toString(), row.getUUID("tenant_id").toString(), executionId, workflowId,
                row.getInteger("version"), row.getString("plan_hash"), TriggerKind.SCHEDULE, nodeId, item, "schedule", null, null,
                tick);
    }
}
