package io.weft.logs.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.logs.api.Keyset;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A tenant's audit trail, newest first ({@code audit_log}). */
@ApplicationScoped
public class AuditStore {

    /** Each filter exact; {@code action} ending in {@code .} matches every action it starts (e.g. {@code credential.}). */
    public record Filter(String actor, String action, String objectType, String objectId, OffsetDateTime from, OffsetDateTime to) {
    }

    public record Entry(String eventId, Instant occurredAt, String actorType, String actorId, String action, String objectType,
                        String objectId, String outcome, String sourceIp, Map<String, Object> details, Map<String, Object> redacted) {
    }

    private final Pool pool;

    AuditStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Entry>> page(UUID tenant, Filter filter, Keyset after, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT event_id, occurred_at, actor_type, actor_id, action, object_type, object_id, outcome, source_ip, details, redacted
                FROM audit_log WHERE tenant_id = $1""");
        List<Object> args = new ArrayList<>(List.of(tenant));
        equal(sql, args, "actor_id", filter.actor());
        if (filter.action() != null && filter.action().endsWith(".")) {
            args.add(filter.action().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            sql.append(" AND action LIKE $").append(args.size());
        } else {
            equal(sql, args, "action", filter.action());
        }
        equal(sql, args, "object_type", filter.objectType());
        equal(sql, args, "object_id", filter.objectId());
        if (filter.from() != null) {
            args.add(filter.from());
            sql.append(" AND occurred_at >= $").append(args.size());
        }
        if (filter.to() != null) {
            args.add(filter.to());
            sql.append(" AND occurred_at < $").append(args.size());
        }
        if (after != null) {
            args.add(after.at());
            args.add(after.id());
            sql.append(" AND (occurred_at, event_id) < ($").append(args.size() - 1).append(", $").append(args.size()).append(")");
        }
        args.add(limit);
        sql.append(" ORDER BY occurred_at DESC, event_id DESC LIMIT $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<Entry> entries = new ArrayList<>();
            for (Row row : rows) {
                io.vertx.core.json.JsonObject details = row.getJsonObject("details");
                io.vertx.core.json.JsonObject redacted = row.getJsonObject("redacted");
                entries.add(new Entry(row.getString("event_id"), row.getOffsetDateTime("occurred_at").toInstant(), row.getString("actor_type"),
                        row.getString("actor_id"), row.getString("action"), row.getString("object_type"), row.getString("object_id"),
                        row.getString("outcome"), row.getString("source_ip"), details == null ? null : details.getMap(),
                        redacted == null ? null : redacted.getMap()));
            }
            return entries;
        });
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            args.add(value);
            sql.append(" AND ").append(column).append(" = $").append(args.size());
        }
    }
}
