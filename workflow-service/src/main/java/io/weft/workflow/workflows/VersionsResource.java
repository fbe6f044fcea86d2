package io.weft.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import io.weft.workflow.workflows.WorkflowViews.Diff;
import io.weft.workflow.workflows.WorkflowViews.Page;
import io.weft.workflow.workflows.WorkflowViews.VersionSummary;
import io.weft.workflow.workflows.WorkflowViews.VersionView;
import io.weft.workflow.workflows.WorkflowViews.WorkflowView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A workflow's versions: immutable, numbered from 1; restoring one saves it again as the newest. */
@Path("/api/orchestrator/workflows/{id}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class VersionsResource {
    private final WorkflowStore store;
    private final CompilerClient compiler;
    private final Caller caller;

    VersionsResource(WorkflowStore store, CompilerClient compiler, Caller caller) {
        this.store = store;
        this.compiler = compiler;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Versions, newest first; page with before=<version>")
    public Uni<Page<VersionSummary>> list(@PathParam("id") String id, @QueryParam("limit") String limit,
                                          @QueryParam("before") String before) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        UUID workflowId = WorkflowIds.parse(id);
        int size = ListCursors.limit(limit);
        Integer beforeVersion = before == null || before.isBlank() ? null : WorkflowIds.version("before", before);
        return existing(tenant, workflowId).chain(workflow -> store.versions(tenant, workflowId, beforeVersion, size + 1))
                .map(rows -> {
                    boolean more = rows.size() > size;
                    List<WorkflowVersion> page = more ? rows.subList(0, size) : rows;
                    String next = more ? String.valueOf(page.get(page.size() - 1).version()) : null;
                    return new Page<>(page.stream().map(VersionSummary::of).toList(), next);
                });
    }

    @GET
    @Path("/{version: [0-9]+}")
    @Operation(summary = "One version with its definition and the diagnostics it was saved with")
    public Uni<VersionView> get(@PathParam("id") String id, @PathParam("version") String version) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        return find(tenant, WorkflowIds.parse(id), WorkflowIds.version("version", version)).map(VersionView::of);
    }

    @GET
    @Path("/diff")
    @Operation(summary = "The JSON Patch (RFC 6902) from one version's definition to another's")
    public Uni<Diff> diff(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        UUID workflowId = WorkflowIds.parse(id);
        int fromVersion = WorkflowIds.version("from", from);
        int toVersion = WorkflowIds.version("to", to);
        return find(tenant, workflowId, fromVersion).chain(older -> find(tenant, workflowId, toVersion)
                .map(newer -> new Diff(fromVersion, toVersion, JsonPatchDiff.between(older.definition(), newer.definition()))));
    }

    @POST
    @Path("/{version: [0-9]+}/restore")
    @Operation(summary = "Save an old version's definition as a new version (If-Match required)")
    public Uni<Response> restore(@PathParam("id") String id, @PathParam("version") String version,
                                 @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE);
        UUID workflowId = WorkflowIds.parse(id);
        long revision = Preconditions.required(ifMatch);
        int number = WorkflowIds.version("version", version);
        return find(tenant, workflowId, number).chain(old -> {
            JsonNode definition = old.definition();
            String name = WorkflowInputs.checkDefinition(definition);
            return compiler.check(tenant, definition)
                    .chain(check -> store.saveVersion(tenant, workflowId, revision, name, null, caller.subject(), definition,
                            check, number))
                    .map(WorkflowIds::written)
                    .chain(workflow -> store.version(tenant, workflowId, workflow.currentVersion())
                            .map(saved -> Response.ok(WorkflowView.of(workflow, saved.orElseThrow()))
                                    .header(HttpHeaders.ETAG, workflow.etag()).build()));
        });
    }

    private Uni<Workflow> existing(UUID tenant, UUID workflowId) {
        return store.find(tenant, workflowId).map(found -> found.orElseThrow(WorkflowIds::notFound));
    }

    private Uni<WorkflowVersion> find(UUID tenant, UUID workflowId, int version) {
        return store.version(tenant, workflowId, version).chain(found -> found.map(v -> Uni.createFrom().item(v))
                .orElseGet(() -> existing(tenant, workflowId)
                        .map(workflow -> {
                            throw ProblemException.notFound("version " + version);
                        })));
    }
}
