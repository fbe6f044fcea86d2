package io.weft.workflow.schedules;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.weft.workflow.executions.Executors;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Polling triggers (the Gmail Trigger): when one is due, a replica claims its schedule row (as
 * {@link SchedulePoller} claims ticks: {@code FOR UPDATE SKIP LOCKED}, so one replica looks), asks
 * the executors to look ({@link TriggerPolls}), requests one run per new item and writes the state
 * the look answered, with the next look's time, in the claim's transaction. A look that finds
 * nothing starts no run.
 *
 * <p>Each item's run id is derived from (workflow, node, the item's {@code id}), so an item found
 * again — the state was not written because a run could not be requested, or the transaction did
 * not commit — is the same run, which the executors run once. A look that fails leaves the state as
 * it was, so nothing is missed: the next look finds it.
 */
@ApplicationScoped
public class PollingTriggers {
    private static final Logger LOG = Logger.getLogger(PollingTriggers.class);
    private static final int CLAIMED_PER_POLL = 50;
    private static final int LOOKS_AT_ONCE = 4;

    private final Pool pool;
    private final TriggerPolls polls;
    private final Executors executors;
    private final Clock clock;

    PollingTriggers(Pool pool, TriggerPolls polls, Executors executors, Clock clock) {
        this.pool = pool;
        this.polls = polls;
        this.executors = executors;
        this.clock = clock;
    }

    @Scheduled(every = "${weft.workflow.polling-triggers.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        return lookDue().onFailure().invoke(failure -> LOG.warnf("polling triggers could not look this time: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Looks for every due polling trigger; answers how many runs were requested. */
    public Uni<Integer> lookDue() {
        Instant now = clock.instant();
        return pool.withTransaction(connection -> ScheduleStore.claimDue(connection, "poll", now, CLAIMED_PER_POLL)
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUni(row -> look(connection, row, now)).merge(LOOKS_AT_ONCE)
                        .collect().asList()
                        .map(started -> started.stream().mapToInt(Integer::intValue).sum())));
    }

    private Uni<Integer> look(SqlConnection connection, Row row, Instant now) {
        UUID workflowId = row.getUUID("workflow_id");
        String nodeId = row.getString("node_id");
        Instant next;
        JsonNode node;
        JsonNode state;
        try {
            next = CronSchedule.of(row.getString("cron"), row.getString("timezone")).next(now).orElse(null);
            node = WeftJson.mapper().readTree(row.getString("node"));
            state = row.getString("poll_state") == null ? null : WeftJson.mapper().readTree(row.getString("poll_state"));
        } catch (Exception e) {
            LOG.errorf("polling trigger %s/%s cannot look: %s", workflowId, nodeId, e.getMessage());
            return moveOn(connection, row, null, null).replaceWith(0);
        }
        return polls.look(row.getUUID("tenant_id"), workflowId, node, state)
                .chain(look -> Multi.createFrom().iterable(look.items())
                        .onItem().transformToUniAndConcatenate(item -> executors.queue(request(row, item, now)))
                        .collect().asList()
                        .chain(requested -> moveOn(connection, row, next, look.state()).replaceWith(requested.size())))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("polling trigger %s/%s: the look failed, the next one finds what it missed: %s", workflowId, nodeId,
                            failure.getMessage());
                    return moveOn(connection, row, next, state).replaceWith(0);
                });
    }

    /** The next look's time (none: the schedule ends) and the state it starts from. */
    private static Uni<?> moveOn(SqlConnection connection, Row row, Instant next, JsonNode state) {
        Tuple key = Tuple.of(row.getUUID("workflow_id"), row.getInteger("version"), row.getString("node_id"));
        if (next == null) {
            return connection.preparedQuery("DELETE FROM schedules WHERE workflow_id = $1 AND version = $2 AND node_id = $3").execute(key);
        }
        return connection.preparedQuery("""
                        UPDATE schedules SET next_fire_at = $4, poll_state = ($5::text)::jsonb
                        WHERE workflow_id = $1 AND version = $2 AND node_id = $3""")
                .execute(key.addValue(next.atOffset(ZoneOffset.UTC)).addValue(state == null || state.isNull() ? null : WeftJson.jsonb(state)));
    }

    private static ExecutionRequested request(Row row, JsonNode item, Instant now) {
        String workflowId = row.getUUID("workflow_id").toString();
        String nodeId = row.getString("node_id");
        String executionId = UUID.nameUUIDFromBytes(("poll:" + workflowId + ":" + nodeId + ":" + item.path("id").asText())
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new ExecutionRequested(UUID.randomUUID().toString(), row.getUUID("tenant_id").toString(), executionId, workflowId,
                row.getInteger("version"), row.getString("plan_hash"), TriggerKind.POLL, nodeId, item, "poll", null, null, now);
    }
}
