package io.weft.compiler.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.weft.compiler.plans.PlanStore;
import io.weft.contracts.compile.Diagnostic;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/compile")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class CompileResource {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Compilation compilation;
    private final PlanStore plans;
    private final Caller caller;

    CompileResource(Compilation compilation, PlanStore plans, Caller caller) {
        this.compilation = compilation;
        this.plans = plans;
        this.caller = caller;
    }

    /** @param valid true when no diagnostic is an error */
    public record Validation(boolean valid, List<Diagnostic> diagnostics) {
    }

    /** @param diagnostics warnings only: a plan is made only when there is no error */
    public record Compiled(String hash, ExecutionPlan plan, List<Diagnostic> diagnostics) {
    }

    /** The 422 answer: an RFC 9457 problem with the diagnostics as an extension member. */
    public record CompilationProblem(URI type, String title, int status, String detail, String instance,
                                     List<Diagnostic> diagnostics) {
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check a workflow definition; always 200 with the diagnostics unless the body is not JSON")
    public Uni<Validation> validate(JsonNode definition) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        return compilation.compile(tenant, required(definition))
                .map(outcome -> new Validation(outcome.compiles(), outcome.diagnostics()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compile a workflow definition into an execution plan (422 with the diagnostics when it does not compile)")
    public Uni<Response> compile(JsonNode definition, @Context HttpServerRequest request) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        return compilation.compile(tenant, required(definition)).chain(outcome -> {
            if (!outcome.compiles()) {
                long errors = outcome.diagnostics().stream().filter(d -> d.severity() == io.weft.contracts.compile.Severity.ERROR).count();
                CompilationProblem problem = new CompilationProblem(ProblemType.COMPILATION_FAILED.uri(),
                        ProblemType.COMPILATION_FAILED.title(), 422,
                        "the workflow does not compile: " + errors + (errors == 1 ? " error" : " errors"), request.path(),
                        outcome.diagnostics());
                return Uni.createFrom().item(Response.status(422).type(Problem.MEDIA_TYPE).entity(problem).build());
            }
            ExecutionPlan plan = outcome.plan();
            return plans.save(tenant, plan).map(saved -> Response.ok(new Compiled(plan.hash(), plan, outcome.diagnostics()))
                    .header(HttpHeaders.LOCATION, "/api/compile/plans/" + plan.hash())
                    .build());
        });
    }

    @GET
    @Path("/plans/{hash}")
    @Operation(summary = "A plan this tenant compiled, by its content hash")
    public Uni<Response> plan(@PathParam("hash") String hash) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        if (!HASH.matcher(hash).matches()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "plan hashes are 64 lower-case hex digits (SHA-256)");
        }
        return plans.find(tenant, hash).map(found -> found
                .map(json -> Response.ok(json, MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.ETAG, "\"" + hash + "\"")
                        .header(HttpHeaders.CACHE_CONTROL, "private, max-age=31536000, immutable")
                        .build())
                .orElseThrow(() -> ProblemException.notFound("plan " + hash)));
    }

    private static JsonNode required(JsonNode definition) {
        if (definition == null || definition.isMissingNode()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the body must be a workflow definition in JSON");
        }
        return definition;
    }
}
