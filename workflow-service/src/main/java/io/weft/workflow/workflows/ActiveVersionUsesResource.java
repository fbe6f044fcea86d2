package io.weft.workflow.workflows;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Scope;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Which of the tenant's workflows use a credential, or a version of a custom node type, in their
 * active version: what credentials-service and executor-service ask before they delete one. For
 * services with {@code workflows:read}; not routed from outside.
 */
@Path("/internal")
@Tag(name = "internal")
@Authenticated
public class ActiveVersionUsesResource {
    private final Pool pool;
    private final Caller caller;

    ActiveVersionUsesResource(Pool pool, Caller caller) {
        this.pool = pool;
        this.caller = caller;
    }

    public record Use(String workflowId, String name, int activeVersion) {
    }

    public record Uses(List<Use> workflows) {
    }

    @GET
    @Path("/credential-uses/{credentialId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's active workflow versions that name the credential (services only)")
    public Uni<Uses> uses(@PathParam("credentialId") String credentialId) {
        caller.requireService(null, Scope.WORKFLOWS_READ.wireName(), "only services with workflows:read ask this");
        UUID tenant = caller.tenantId();
        if (credentialId.length() > 100) {
            throw ProblemException.notFound("credential");
        }
        return activeVersionsWhere(tenant, "$.nodes[*].credentials.*.id ? (@ == $id)",
                io.vertx.core.json.JsonObject.of("id", credentialId));
    }

    @GET
    @Path("/node-type-uses/{type}/{version}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's active workflow versions with a node of this type and version (services only)")
    public Uni<Uses> nodeTypeUses(@PathParam("type") String type, @PathParam("version") int version) {
        caller.requireService(null, Scope.WORKFLOWS_READ.wireName(), "only services with workflows:read ask this");
        UUID tenant = caller.tenantId();
        if (type.length() > 200) {
            throw ProblemException.notFound("node type");
        }
        return activeVersionsWhere(tenant, "$.nodes[*] ? (@.type == $type && @.typeVersion == $version)",
                io.vertx.core.json.JsonObject.of("type", type, "version", version));
    }

    private Uni<Uses> activeVersionsWhere(UUID tenant, String path, io.vertx.core.json.JsonObject variables) {
        return pool.preparedQuery("""
                        SELECT w.id, w.name, w.active_version FROM workflows w
                        JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.active_version
                        WHERE w.tenant_id = $1 AND jsonb_path_exists(v.definition, $2::jsonpath, $3::jsonb)
                        ORDER BY w.name, w.id""")
                .execute(Tuple.of(tenant, path, variables))
                .map(rows -> {
                    List<Use> uses = new ArrayList<>();
                    rows.forEach(row -> uses.add(new Use(row.getUUID("id").toString(), row.getString("name"), row.getInteger("active_version"))));
                    return new Uses(uses);
                });
    }
}
