package io.weft.workflow.webhooks;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.workflow.workflows.VersionDefinitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the webhook a call is for: the workflow by its prefix, then the Webhook Triggers of its
 * active version. Nothing is registered at activation: the active version is the registry, so
 * activating, deactivating or deleting a workflow changes its webhooks at once. The versions'
 * definitions come from {@link VersionDefinitions}' cache.
 */
@ApplicationScoped
public class WebhookDirectory {
    private final Pool pool;
    private final VersionDefinitions versions;

    WebhookDirectory(Pool pool, VersionDefinitions versions) {
        this.pool = pool;
        this.versions = versions;
    }

    /** The active version's webhooks of the workflow with this prefix; empty when none is active. */
    public Uni<List<Webhook>> active(String prefix) {
        return pool.preparedQuery("SELECT tenant_id, id, active_version, active_plan_hash FROM workflows"
                        + " WHERE webhook_prefix = $1 AND active_version IS NOT NULL")
                .execute(Tuple.of(prefix))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(List.<Webhook>of());
                    }
                    Row row = rows.iterator().next();
                    return hooks(row.getUUID("tenant_id"), row.getUUID("id"), row.getInteger("active_version"),
                            row.getString("active_plan_hash"));
                });
    }

    /** The workflow's prefix and its active version's webhooks, for the tenant; empty when there is no such workflow. */
    public Uni<Optional<Map.Entry<String, List<Webhook>>>> ofWorkflow(UUID tenant, UUID workflowId) {
        return pool.preparedQuery("SELECT webhook_prefix, active_version, active_plan_hash FROM workflows WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, workflowId))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.empty());
                    }
                    Row row = rows.iterator().next();
                    String prefix = row.getString("webhook_prefix");
                    Integer version = row.getInteger("active_version");
                    Uni<List<Webhook>> hooks = version == null ? Uni.createFrom().item(List.of())
                            : hooks(tenant, workflowId, version, row.getString("active_plan_hash"));
                    return hooks.map(found -> Optional.of(Map.entry(prefix, found)));
                });
    }

    private Uni<List<Webhook>> hooks(UUID tenant, UUID workflowId, int version, String planHash) {
        return versions.of(workflowId, version).map(definition -> definition
                .map(found -> Webhook.of(tenant, workflowId, version, planHash, found)).orElse(List.of()));
    }
}
