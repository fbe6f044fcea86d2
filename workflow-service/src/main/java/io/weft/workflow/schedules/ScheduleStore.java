package io.weft.workflow.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The Schedule Triggers of versions being activated, and what the API shows of them. */
@ApplicationScoped
public class ScheduleStore {
    private final Pool pool;
    private final Clock clock;

    ScheduleStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** The polling triggers: looked for news by the executor at each tick of their schedule. */
    static final java.util.Set<String> POLLING = java.util.Set.of("trigger.gmail");

    /**
     * One enabled Schedule Trigger, or polling trigger, of a definition.
     *
     * @param node for a polling trigger, its node as defined (type, parameters, credentials), which the executor looks with
     */
    record Trigger(String nodeId, String cron, String timezone, String whenMissed, CronSchedule schedule, String kind, JsonNode node) {
    }

    public record View(String nodeId, String cron, String timezone, String whenMissed, Instant nextFireAt) {
    }

    /**
     * Records the version's Schedule Triggers before the version becomes active, each to fire at its
     * next tick from now (re-activating a version starts afresh: the time it was inactive is not
     * missed). An expression or zone that cannot be used refuses the activation (400).
     */
    public Uni<Void> register(UUID tenant, UUID workflowId, int version, String planHash, JsonNode definition) {
        List<Trigger> triggers = triggers(definition);
        if (triggers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        List<Tuple> rows = new ArrayList<>();
        for (Trigger trigger : triggers) {
            Instant next = trigger.schedule().next(now).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION_FAILED,
                    "node \"" + trigger.nodeId() + "\": cron \"" + trigger.cron() + "\" never fires"));
            rows.add(Tuple.of(workflowId, version, trigger.nodeId(), tenant, planHash, trigger.cron())
                    .addValue(trigger.timezone()).addValue(trigger.whenMissed()).addValue(next.atOffset(ZoneOffset.UTC))
                    .addValue(trigger.kind()).addValue(trigger.node() == null ? null : WeftJson.jsonb(trigger.node())));
        }
        return pool.preparedQuery("""
                        INSERT INTO schedules (workflow_id, version, node_id, tenant_id, plan_hash, cron, timezone, when_missed, next_fire_at,
                                               kind, node)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ($11::text)::jsonb)
                        ON CONFLICT (workflow_id, version, node_id) DO UPDATE SET next_fire_at = excluded.next_fire_at,
                            plan_hash = excluded.plan_hash, kind = excluded.kind, node = excluded.node, poll_state = NULL""")
                .executeBatch(rows).replaceWithVoid();
    }

    /**
     * Due rows of one kind ({@code tick}: Schedule Triggers, {@code poll}: polling triggers) of active
     * versions, claimed for the connection's transaction: a replica claiming at the same time skips them.
     */
    static Uni<List<Row>> claimDue(SqlConnection connection, String kind, Instant now, int most) {
        return connection.preparedQuery("""
                        SELECT s.workflow_id, s.version, s.node_id, s.tenant_id, s.plan_hash, s.cron, s.timezone, s.when_missed,
                               s.next_fire_at, s.node::text AS node, s.poll_state::text AS poll_state
                        FROM schedules s JOIN workflows w ON w.id = s.workflow_id AND w.active_version = s.version
                        WHERE s.next_fire_at <= $1 AND s.kind = $2
                        ORDER BY s.next_fire_at LIMIT $3
                        FOR UPDATE OF s SKIP LOCKED""")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), kind, most))
                .map(rows -> {
                    List<Row> due = new ArrayList<>();
                    rows.forEach(due::add);
                    return due;
                });
    }

    /** The active version's schedules of the tenant's workflow. */
    public Uni<List<View>> active(UUID tenant, UUID workflowId) {
        return pool.preparedQuery("""
                        SELECT s.node_id, s.cron, s.timezone, s.when_missed, s.next_fire_at FROM schedules s
                        JOIN workflows w ON w.id = s.workflow_id AND w.active_version = s.version
                        WHERE w.tenant_id = $1 AND w.id = $2 ORDER BY s.node_id""")
                .execute(Tuple.of(tenant, workflowId))
                .map(rows -> {
                    List<View> views = new ArrayList<>();
                    rows.forEach(row -> views.add(new View(row.getString("node_id"), row.getString("cron"), row.getString("timezone"),
                            row.getString("when_missed"), row.getOffsetDateTime("next_fire_at").toInstant())));
                    return views;
                });
    }

    /**
     * The enabled Schedule Triggers and polling triggers of a definition; their zone defaults to the
     * workflow's, then UTC. A polling trigger looks every minute unless its {@code cron} says otherwise,
     * and once after a pause (the look finds what came meanwhile).
     */
    static List<Trigger> triggers(JsonNode definition) {
        String workflowZone = definition.path("settings").path("timezone").asText("UTC");
        List<Trigger> triggers = new ArrayList<>();
        for (JsonNode node : definition.path("nodes")) {
            String type = node.path("type").asText();
            boolean polling = POLLING.contains(type);
            if (!"trigger.schedule".equals(type) && !polling || node.path("disabled").asBoolean(false)) {
                continue;
            }
            String id = node.path("id").asText();
            JsonNode parameters = node.path("parameters");
            String cron = parameters.path("cron").asText(polling ? "* * * * *" : "");
            String zone = parameters.path("timezone").asText(workflowZone);
            try {
                triggers.add(new Trigger(id, cron, zone, polling ? "runOnce" : parameters.path("whenMissed").asText("skip"),
                        CronSchedule.of(cron, zone), polling ? "poll" : "tick", polling ? node : null));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "node \"" + id + "\": " + e.getMessage());
            }
        }
        return triggers;
    }
}
