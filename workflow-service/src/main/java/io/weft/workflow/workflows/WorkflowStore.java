package io.weft.workflow.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Workflows and versions in workflow-service's database. Every statement filters by tenant; a
 * save is one transaction that bumps the workflow's revision only if it still is the one the
 * caller read (optimistic concurrency), then writes the new version.
 */
@ApplicationScoped
public class WorkflowStore {
    private static final String COLUMNS = "id, tenant_id, name, tags, revision, current_version, active_version, "
            + "active_plan_hash, activated_at, created_by, updated_by, created_at, updated_at";
    private static final String VERSION_COLUMNS = "workflow_id, version, definition::text AS definition, author, "
            + "created_at, compile_status, diagnostics::text AS diagnostics, restored_from";

    private final Pool pool;

    WorkflowStore(Pool pool) {
        this.pool = pool;
    }

    /** Why a conditional write did not happen. */
    public enum Refusal {
        NOT_FOUND,
        STALE
    }

    /** Either the workflow as written, or why it was not. */
    public record Written(Workflow workflow, Refusal refusal) {
        static Written of(Workflow workflow) {
            return new Written(workflow, null);
        }

        static Written refused(Refusal refusal) {
            return new Written(null, refusal);
        }
    }

    public Uni<Workflow> create(UUID tenant, String name, List<String> tags, String author, JsonNode definition,
                                CompileCheck check) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                INSERT INTO workflows (id, tenant_id, name, tags, current_version, created_by, updated_by)
                                VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING""" + " " + COLUMNS)
                        .execute(Tuple.of(id, tenant, name, tags.toArray(String[]::new), author))
                        .chain(rows -> insertVersion(connection, tenant, id, 1, definition, author, check, null)
                                .replaceWith(toWorkflow(rows.iterator().next()))));
    }

    public Uni<Optional<Workflow>> find(UUID tenant, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workflows WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, id))
                .map(rows -> first(rows).map(WorkflowStore::toWorkflow));
    }

    /**
     * A page of the tenant's workflows, most recently changed first.
     *
     * @param nameContains case-insensitive, or null
     * @param tag          exact tag, or null
     * @param after        the last row of the previous page, or null
     */
    public Uni<List<Workflow>> list(UUID tenant, String nameContains, String tag, ListCursor after, int limit) {
        String pattern = nameContains == null ? null : "%" + nameContains.replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workflows WHERE tenant_id = $1"
                        + " AND ($2::text IS NULL OR name ILIKE $2::text)"
                        + " AND ($3::text IS NULL OR tags @> ARRAY[$3::text])"
                        + " AND ($4::timestamptz IS NULL OR (updated_at, id) < ($4::timestamptz, $5::uuid))"
                        + " ORDER BY updated_at DESC, id DESC LIMIT $6")
                .execute(Tuple.from(Arrays.asList(tenant, pattern, tag, after == null ? null : after.updatedAt(),
                        after == null ? null : after.id(), limit)))
                .map(rows -> {
                    List<Workflow> page = new ArrayList<>();
                    rows.forEach(row -> page.add(toWorkflow(row)));
                    return page;
                });
    }

    /** Saves a new version if the workflow is still at {@code expectedRevision}. */
    public Uni<Written> saveVersion(UUID tenant, UUID id, long expectedRevision, String name, List<String> tags,
                                    String author, JsonNode definition, CompileCheck check, Integer restoredFrom) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                UPDATE workflows SET current_version = current_version + 1, revision = revision + 1,
                                       name = $4, tags = coalesce($5, tags), updated_by = $6, updated_at = now()
                                WHERE tenant_id = $1 AND id = $2 AND revision = $3 RETURNING""" + " " + COLUMNS)
                        .execute(Tuple.from(Arrays.asList(tenant, id, expectedRevision, name,
                                tags == null ? null : tags.toArray(String[]::new), author)))
                        .chain(rows -> {
                            Optional<Workflow> saved = first(rows).map(WorkflowStore::toWorkflow);
                            if (saved.isEmpty()) {
                                return refusal(connection, tenant, id).map(Written::refused);
                            }
                            return insertVersion(connection, tenant, id, saved.get().currentVersion(), definition, author,
                                    check, restoredFrom).replaceWith(Written.of(saved.get()));
                        }));
    }

    /** Marks a version active with its plan, if the workflow is still at {@code expectedRevision} (null: any). */
    public Uni<Written> activate(UUID tenant, UUID id, Long expectedRevision, int version, String planHash, String by) {
        return conditionalUpdate(tenant, id, expectedRevision, by,
                "active_version = $5, active_plan_hash = $6, activated_at = now()", version, planHash);
    }

    public Uni<Written> deactivate(UUID tenant, UUID id, Long expectedRevision, String by) {
        return conditionalUpdate(tenant, id, expectedRevision, by,
                "active_version = NULL, active_plan_hash = NULL, activated_at = NULL");
    }

    /** Deletes the workflow and its versions, if it is still at {@code expectedRevision} (null: any). */
    public Uni<Optional<Refusal>> delete(UUID tenant, UUID id, Long expectedRevision) {
        return pool.withTransaction(connection -> connection.preparedQuery(
                                "DELETE FROM workflows WHERE tenant_id = $1 AND id = $2 AND ($3::bigint IS NULL OR revision = $3::bigint)")
                        .execute(Tuple.from(Arrays.asList(tenant, id, expectedRevision)))
                        .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(Optional.<Refusal>empty())
                                : refusal(connection, tenant, id).map(Optional::of)));
    }

    public Uni<List<WorkflowVersion>> versions(UUID tenant, UUID id, Integer before, int limit) {
        return pool.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM workflow_versions"
                        + " WHERE tenant_id = $1 AND workflow_id = $2 AND ($3::int IS NULL OR version < $3::int)"
                        + " ORDER BY version DESC LIMIT $4")
                .execute(Tuple.from(Arrays.asList(tenant, id, before, limit)))
                .map(rows -> {
                    List<WorkflowVersion> page = new ArrayList<>();
                    rows.forEach(row -> page.add(toVersion(row)));
                    return page;
                });
    }

    public Uni<Optional<WorkflowVersion>> version(UUID tenant, UUID id, int version) {
        return pool.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM workflow_versions"
                        + " WHERE tenant_id = $1 AND workflow_id = $2 AND version = $3")
                .execute(Tuple.of(tenant, id, version))
                .map(rows -> first(rows).map(WorkflowStore::toVersion));
    }

    private Uni<Written> conditionalUpdate(UUID tenant, UUID id, Long expectedRevision, String by, String assignments,
                                           Object... values) {
        List<Object> parameters = new ArrayList<>(Arrays.asList(tenant, id, expectedRevision, by));
        parameters.addAll(Arrays.asList(values));
        return pool.withTransaction(connection -> connection.preparedQuery("UPDATE workflows SET " + assignments
                                + ", revision = revision + 1, updated_by = $4, updated_at = now()"
                                + " WHERE tenant_id = $1 AND id = $2 AND ($3::bigint IS NULL OR revision = $3::bigint)"
                                + " RETURNING " + COLUMNS)
                        .execute(Tuple.from(parameters))
                        .chain(rows -> first(rows).map(row -> Uni.createFrom().item(Written.of(toWorkflow(row))))
                                .orElseGet(() -> refusal(connection, tenant, id).map(Written::refused))));
    }

    private static Uni<Refusal> refusal(SqlClient connection, UUID tenant, UUID id) {
        return connection.preparedQuery("SELECT 1 FROM workflows WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, id))
                .map(rows -> rows.rowCount() == 0 ? Refusal.NOT_FOUND : Refusal.STALE);
    }

    private static Uni<Void> insertVersion(SqlClient connection, UUID tenant, UUID id, int version, JsonNode definition,
                                           String author, CompileCheck check, Integer restoredFrom) {
        return connection.preparedQuery("""
                        INSERT INTO workflow_versions (workflow_id, tenant_id, version, definition, author, compile_status,
                                                       diagnostics, restored_from)
                        VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7::text::jsonb, $8)""")
                .execute(Tuple.from(Arrays.asList(id, tenant, version, json(definition), author, check.status().column(),
                        json(check.diagnostics()), restoredFrom)))
                .replaceWithVoid();
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    private static Workflow toWorkflow(Row row) {
        return new Workflow(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("name"),
                List.of(row.getArrayOfStrings("tags")), row.getLong("revision"), row.getInteger("current_version"),
                row.getInteger("active_version"), row.getString("active_plan_hash"), row.getOffsetDateTime("activated_at"),
                row.getString("created_by"), row.getString("updated_by"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }

    private static WorkflowVersion toVersion(Row row) {
        return new WorkflowVersion(row.getUUID("workflow_id"), row.getInteger("version"), parse(row.getString("definition")),
                row.getString("author"), row.getOffsetDateTime("created_at"), CompileStatus.fromColumn(row.getString("compile_status")),
                parse(row.getString("diagnostics")), row.getInteger("restored_from"));
    }

    private static String json(JsonNode node) {
        try {
            return WeftJson.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return WeftJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored definition is not JSON", e);
        }
    }

    /** Where a page of {@link #list} ends. */
    public record ListCursor(OffsetDateTime updatedAt, UUID id) {
    }
}
