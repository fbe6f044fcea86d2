package io.weft.workflow.workflows;

import io.weft.workflow.schedules.ScheduleStore;
import io.weft.workflow.tiers.Tiers;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import io.weft.workflow.workflows.WorkflowViews.ExportDocument;
import io.weft.workflow.workflows.WorkflowViews.Page;
import io.weft.workflow.workflows.WorkflowViews.WorkflowInput;
import io.weft.workflow.workflows.WorkflowViews.WorkflowSummary;
import io.weft.workflow.workflows.WorkflowViews.WorkflowView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Workflows of the caller's tenant. Every save is a new immutable version; writes to an existing
 * workflow need {@code If-Match} with its ETag (412 when it changed meanwhile).
 */
@Path("/api/orchestrator/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class WorkflowsResource {
    private final WorkflowStore store;
    private final CompilerClient compiler;
    private final Caller caller;
    private final Clock clock;
    private final ScheduleStore schedules;
    private final Tiers tiers;

    WorkflowsResource(WorkflowStore store, CompilerClient compiler, Caller caller, Clock clock, ScheduleStore schedules, Tiers tiers) {
        this.tiers = tiers;
        this.schedules = schedules;
        this.store = store;
        this.compiler = compiler;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a workflow; its definition becomes version 1 (saved even if it does not compile yet)")
    public Uni<Response> create(WorkflowInput input) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE);
        WorkflowInput checked = required(input);
        String name = WorkflowInputs.checkDefinition(checked.definition());
        List<String> tags = WorkflowInputs.checkTags(checked.tags());
        return compiler.check(tenant, checked.definition())
                .chain(check -> store.create(tenant, name, tags == null ? List.of() : tags, caller.subject(),
                        checked.definition(), check))
                .chain(workflow -> answer(tenant, workflow, Response.Status.CREATED));
    }

    @GET
    @Operation(summary = "The tenant's workflows, most recently changed first; search by name, filter by tag")
    public Uni<Page<WorkflowSummary>> list(@QueryParam("search") String search, @QueryParam("tag") String tag,
                                           @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        int size = ListCursors.limit(limit);
        WorkflowStore.ListCursor after = ListCursors.decode(cursor);
        String name = search == null || search.isBlank() ? null : ListCursors.bounded("search", search.strip(), 200);
        String exactTag = tag == null || tag.isBlank() ? null : ListCursors.bounded("tag", tag.strip(), 50);
        return store.list(tenant, name, exactTag, after, size + 1).map(rows -> {
            boolean more = rows.size() > size;
            List<Workflow> page = more ? rows.subList(0, size) : rows;
            String next = more ? ListCursors.encode(page.get(page.size() - 1)) : null;
            return new Page<>(page.stream().map(WorkflowSummary::of).toList(), next);
        });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A workflow with its current definition; the ETag is what If-Match needs")
    public Uni<Response> get(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        return existing(tenant, id).chain(workflow -> answer(tenant, workflow, Response.Status.OK));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save a new version (If-Match required); tags are replaced when given")
    public Uni<Response> update(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                WorkflowInput input) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE);
        UUID workflowId = WorkflowIds.parse(id);
        long revision = Preconditions.required(ifMatch);
        WorkflowInput checked = required(input);
        String name = WorkflowInputs.checkDefinition(checked.definition());
        List<String> tags = WorkflowInputs.checkTags(checked.tags());
        return compiler.check(tenant, checked.definition())
                .chain(check -> store.saveVersion(tenant, workflowId, revision, name, tags, caller.subject(),
                        checked.definition(), check, null))
                .chain(written -> answer(tenant, WorkflowIds.written(written), Response.Status.OK));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a workflow and all its versions (If-Match optional)")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE);
        UUID workflowId = WorkflowIds.parse(id);
        return store.delete(tenant, workflowId, Preconditions.optional(ifMatch)).map(refusal -> {
            refusal.ifPresent(reason -> {
                throw reason == WorkflowStore.Refusal.STALE ? Preconditions.stale() : WorkflowIds.notFound();
            });
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/{id}/activate")
    @Operation(summary = "Activate a version (?version=n, the current one by default); only a version that compiles can be activated")
    public Uni<Response> activate(@PathParam("id") String id, @QueryParam("version") String versionParameter,
                                  @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context HttpServerRequest request) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE);
        UUID workflowId = WorkflowIds.parse(id);
        Long revision = Preconditions.optional(ifMatch);
        Integer wanted = versionParameter == null || versionParameter.isBlank() ? null
                : WorkflowIds.version("version", versionParameter);
        return store.find(tenant, workflowId)
                .map(found -> found.orElseThrow(WorkflowIds::notFound))
                .chain(workflow -> {
                    int version = wanted == null ? workflow.currentVersion() : wanted;
                    return store.version(tenant, workflowId, version)
                            .map(found -> found.orElseThrow(() -> ProblemException.notFound("version " + version)));
                })
                .chain(version -> compiler.compile(tenant, version.definition()).chain(compiled -> {
                    if (!compiled.compiles()) {
                        return Uni.createFrom().item(CompilationProblem.response("version " + version.version()
                                + " does not compile, so it cannot be activated", request.path(), compiled.diagnostics()));
                    }
                    // The tier and the schedules are recorded first: triggers run without a token, and schedules fire only
                    // while their version is the active one.
                    return tiers.record(tenant, caller.tierClaim())
                            .chain(() -> schedules.register(tenant, workflowId, version.version(), compiled.planHash(), version.definition()))
                            .chain(() -> store.activate(tenant, workflowId, revision, version.version(), compiled.planHash(),
                                    caller.subject()))
                            .chain(written -> answer(tenant, WorkflowIds.written(written), Response.Status.OK));
                }));
    }

    @POST
    @Path("/{id}/deactivate")
    @Operation(summary = "Deactivate the workflow: its triggers stop starting executions")
    public Uni<Response> deactivate(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE);
        return store.deactivate(tenant, WorkflowIds.parse(id), Preconditions.optional(ifMatch), caller.subject())
                .chain(written -> answer(tenant, WorkflowIds.written(written), Response.Status.OK));
    }

    @GET
    @Path("/{id}/export")
    @Operation(summary = "The workflow's current definition as a file to import elsewhere")
    public Uni<Response> export(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        return existing(tenant, id).chain(workflow -> current(tenant, workflow).map(version -> Response
                .ok(new ExportDocument(ExportDocument.FORMAT, ExportDocument.FORMAT_VERSION, workflow.name(), workflow.tags(),
                        version.definition(), OffsetDateTime.now(clock)))
                .header("Content-Disposition", "attachment; filename=\"workflow-" + workflow.id() + ".json\"")
                .build()));
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a workflow from an exported file")
    public Uni<Response> importWorkflow(ExportDocument document) {
        if (document == null || !ExportDocument.FORMAT.equals(document.format())
                || !Integer.valueOf(ExportDocument.FORMAT_VERSION).equals(document.formatVersion())) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, 400, "not a Weft workflow export",
                    List.of(new Problem.Violation("format", "must be \"" + ExportDocument.FORMAT + "\" with formatVersion "
                            + ExportDocument.FORMAT_VERSION)));
        }
        return create(new WorkflowInput(document.definition(), document.tags()));
    }

    private Uni<Workflow> existing(UUID tenant, String id) {
        return store.find(tenant, WorkflowIds.parse(id)).map(found -> found.orElseThrow(WorkflowIds::notFound));
    }

    private Uni<WorkflowVersion> current(UUID tenant, Workflow workflow) {
        return store.version(tenant, workflow.id(), workflow.currentVersion())
                .map(found -> found.orElseThrow(WorkflowIds::notFound));
    }

    private Uni<Response> answer(UUID tenant, Workflow workflow, Response.Status status) {
        return current(tenant, workflow).map(version -> {
            Response.ResponseBuilder builder = Response.status(status).entity(WorkflowView.of(workflow, version))
                    .header(HttpHeaders.ETAG, workflow.etag());
            if (status == Response.Status.CREATED) {
                builder.header(HttpHeaders.LOCATION, "/api/orchestrator/workflows/" + workflow.id());
            }
            return builder.build();
        });
    }

    private static WorkflowInput required(WorkflowInput input) {
        if (input == null) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the body must be {\"definition\": {...}, \"tags\": [...]}");
        }
        return input;
    }
}
