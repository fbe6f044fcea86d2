package io.weft.workflow.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The approvals of each tenant ({@code approvals}, {@code approval_decisions}); every statement names the tenant. */
@ApplicationScoped
public class ApprovalStore {
    /** An approval with its decisions, and the status of its run in the read model (null when the read model has none yet). */
    private static final String SELECT = """
            SELECT a.id, a.execution_id, a.workflow_id, a.node_id, a.node_name, a.status, a.message, a.approvers::text AS approvers,
                   a.required, a.allow_self, a.requested_by, a.form::text AS form, a.created_at, a.expires_at, a.decided_at,
                   e.status AS execution_status,
                   coalesce((SELECT json_agg(json_build_object('decidedBy', d.decided_by, 'decision', d.decision, 'comment', d.comment,
                                     'formValues', coalesce(d.form_values, '{}'::jsonb), 'decidedAt', d.decided_at) ORDER BY d.decided_at)
                             FROM approval_decisions d WHERE d.approval_id = a.id), '[]'::json)::text AS decisions
            FROM approvals a LEFT JOIN executions e ON e.tenant_id = a.tenant_id AND e.id = a.execution_id
            """;

    private final Pool pool;
    private final Clock clock;

    ApprovalStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** Opens the approval of a node of a run, or finds the one it opened before; who started the run comes from the read model. */
    public Uni<ApprovalView> open(UUID tenant, OpenRequest request) {
        return pool.preparedQuery("""
                        INSERT INTO approvals (id, tenant_id, execution_id, workflow_id, node_id, node_name, status, message, approvers, required,
                                               allow_self, requested_by, form, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, ($8::text)::jsonb, $9, $10,
                                (SELECT requested_by FROM executions WHERE tenant_id = $2 AND id = $3), ($11::text)::jsonb, $12)
                        ON CONFLICT (tenant_id, execution_id, node_id) DO NOTHING""")
                .execute(Tuple.from(List.of(UUID.randomUUID(), tenant, request.executionId(), request.workflowId(), request.nodeId(),
                        request.nodeName(), request.message(), WeftJson.jsonb(request.approvers()), request.requiredApprovals(),
                        request.allowSelfApproval(), WeftJson.jsonb(request.form()), request.expiresAt().atOffset(ZoneOffset.UTC))))
                .chain(() -> ofNode(pool, tenant, request.executionId(), request.nodeId(), false))
                .map(Optional::orElseThrow);
    }

    /** What the executor sends to open an approval (already checked). */
    public record OpenRequest(String executionId, String workflowId, String nodeId, String nodeName, String message, JsonNode approvers,
                              int requiredApprovals, boolean allowSelfApproval, JsonNode form, Instant expiresAt) {
    }

    public Uni<Optional<ApprovalView>> find(SqlClient client, UUID tenant, UUID id, boolean lock) {
        return one(client, SELECT + "WHERE a.tenant_id = $1 AND a.id = $2" + (lock ? " FOR UPDATE OF a" : ""), Tuple.of(tenant, id));
    }

    public Uni<Optional<ApprovalView>> ofNode(SqlClient client, UUID tenant, String executionId, String nodeId, boolean lock) {
        return one(client, SELECT + "WHERE a.tenant_id = $1 AND a.execution_id = $2 AND a.node_id = $3" + (lock ? " FOR UPDATE OF a" : ""),
                Tuple.of(tenant, executionId, nodeId));
    }

    /** The tenant's approvals, newest first, optionally of one status (as shown: a pending one past its time is timed out). */
    public Uni<List<ApprovalView>> list(UUID tenant, String status, int most) {
        String stored = status == null ? null : "timed_out".equals(status) || "cancelled".equals(status) ? null : status;
        return pool.preparedQuery(SELECT + "WHERE a.tenant_id = $1 AND ($2::text IS NULL OR a.status = $2) ORDER BY a.created_at DESC, a.id LIMIT $3")
                .execute(Tuple.of(tenant, stored, status == null || stored != null ? most : most * 5))
                .map(rows -> {
                    List<ApprovalView> views = new ArrayList<>();
                    rows.forEach(row -> {
                        ApprovalView view = view(row);
                        if (status == null || status.equals(view.status())) {
                            views.add(view);
                        }
                    });
                    return views.size() > most ? views.subList(0, most) : views;
                });
    }

    /** Moves a pending approval to its outcome, under the lock its caller holds. */
    public Uni<Void> settle(SqlClient client, UUID id, String status) {
        return client.preparedQuery("UPDATE approvals SET status = $2, decided_at = now() WHERE id = $1 AND status = 'pending'")
                .execute(Tuple.of(id, status)).replaceWithVoid();
    }

    /** Records one person's decision; false when they decided this approval before. */
    public Uni<Boolean> record(SqlClient client, UUID id, String decidedBy, String decision, String comment, JsonNode formValues) {
        return client.preparedQuery("""
                        INSERT INTO approval_decisions (approval_id, decided_by, decision, comment, form_values)
                        VALUES ($1, $2, $3, $4, ($5::text)::jsonb) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(id, decidedBy, decision, comment, formValues == null ? null : WeftJson.jsonb(formValues)))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<Optional<ApprovalView>> one(SqlClient client, String sql, Tuple arguments) {
        return client.preparedQuery(sql).execute(arguments)
                .map(rows -> rows.rowCount() == 0 ? Optional.<ApprovalView>empty() : Optional.of(view(rows.iterator().next())));
    }

    private ApprovalView view(Row row) {
        String status = row.getString("status");
        Instant expiresAt = row.getOffsetDateTime("expires_at").toInstant();
        String run = row.getString("execution_status");
        if ("pending".equals(status) && run != null && List.of("succeeded", "failed", "cancelled").contains(run)) {
            status = "cancelled";
        } else if ("pending".equals(status) && !clock.instant().isBefore(expiresAt)) {
            status = "timed_out";
        }
        OffsetDateTime decided = row.getOffsetDateTime("decided_at");
        return new ApprovalView(row.getUUID("id").toString(), row.getString("execution_id"), row.getString("workflow_id"),
                row.getString("node_id"), row.getString("node_name"), status, row.getString("message"), json(row.getString("approvers")),
                row.getInteger("required"), row.getBoolean("allow_self"), row.getString("requested_by"), json(row.getString("form")),
                row.getOffsetDateTime("created_at").toInstant(), expiresAt, decided == null ? null : decided.toInstant(),
                json(row.getString("decisions")));
    }

    private static JsonNode json(String text) {
        try {
            return WeftJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Pool pool() {
        return pool;
    }
}
