package io.weft.executor.nodes.custom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.problems.ProblemType;
import io.weft.executor.sandbox.Sandbox;
import io.weft.executor.sandbox.ScriptData;
import io.weft.executor.sandbox.ScriptSession;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.problems.ProblemMappers;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * A tenant's own node types: register a version (its descriptor and JavaScript, checked in the
 * sandbox), list them, read one, delete one that no active workflow uses. Versions are immutable:
 * registering the same version again with the same content answers the stored one, with other
 * content a 409. Another tenant's types are not found.
 */
@Path("/api/nodes/custom")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class CustomNodesResource {
    private static final Logger LOG = Logger.getLogger(CustomNodesResource.class);
    static final int MOST_VERSIONS_PER_TENANT = 500;
    private static final Duration CHECK_TIME = Duration.ofSeconds(5);

    private final CustomNodeTypes types;
    private final NodeTypeUses uses;
    private final Sandbox sandbox;
    private final Caller caller;

    CustomNodesResource(CustomNodeTypes types, NodeTypeUses uses, Sandbox sandbox, Caller caller) {
        this.types = types;
        this.uses = uses;
        this.sandbox = sandbox;
        this.caller = caller;
    }

    /** One version as the API shows it; {@code code} only when one version is asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomNodeView(NodeTypeDescriptor descriptor, String codeSha256, String createdBy, Instant createdAt, String code) {
        static CustomNodeView of(CustomNodeTypes.Stored stored) {
            return new CustomNodeView(stored.descriptor(), stored.codeSha256(), stored.createdBy(), stored.createdAt(), stored.code());
        }
    }

    public record CustomNodeList(List<CustomNodeView> items) {
    }

    /** Where the code is wrong: line and column in the code as sent (1-based; 0 when the sandbox could not say). */
    public record CodeDiagnostic(String message, int line, int column) {
    }

    /** The 400 answer for code that does not compile or does not define execute: a problem with the diagnostics. */
    public record CodeProblemAnswer(URI type, String title, int status, String detail, String instance, List<Problem.Violation> violations,
                                    List<CodeDiagnostic> diagnostics) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a version of one of the tenant's own node types (descriptor and JavaScript)")
    public Response register(JsonNode body, @Context UriInfo uri) {
        String tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE).toString();
        CustomNodeRegistration registration = CustomNodeRegistration.read(body);
        NodeTypeDescriptor descriptor = registration.descriptor();
        String sha = sha256(registration.code());
        Optional<CustomNodeTypes.Stored> existing = types.find(tenant, descriptor.type(), descriptor.version());
        if (existing.isPresent()) {
            return same(existing.get(), descriptor, sha);
        }
        Optional<ScriptSession.CodeProblem> problem = check(tenant, registration.code());
        if (problem.isPresent()) {
            ScriptSession.CodeProblem found = problem.get();
            String where = found.line() > 0 ? "line " + found.line() + ", column " + found.column() + ": " : "";
            return Response.status(400).type(Problem.MEDIA_TYPE).entity(new CodeProblemAnswer(ProblemType.VALIDATION_FAILED.uri(),
                    ProblemType.VALIDATION_FAILED.title(), 400, "the code of the custom node type does not load: " + where + found.message(),
                    uri.getPath(), List.of(new Problem.Violation("code", where + found.message())),
                    List.of(new CodeDiagnostic(found.message(), found.line(), found.column())))).build();
        }
        if (types.count(tenant) >= MOST_VERSIONS_PER_TENANT) {
            throw new ProblemException(ProblemType.CONFLICT, "the tenant has " + MOST_VERSIONS_PER_TENANT
                    + " custom node type versions, the most it may keep; delete unused ones first");
        }
        if (!types.insert(tenant, descriptor, registration.code(), sha, caller.subject())) {
            return same(types.find(tenant, descriptor.type(), descriptor.version()).orElseThrow(), descriptor, sha);
        }
        LOG.infof("tenant %s registered custom node type %s v%d", tenant, descriptor.type(), descriptor.version());
        CustomNodeTypes.Stored stored = types.find(tenant, descriptor.type(), descriptor.version()).orElseThrow();
        return Response.status(201).header(jakarta.ws.rs.core.HttpHeaders.LOCATION, "/api/nodes/custom/" + descriptor.type() + "/versions/"
                + descriptor.version()).entity(CustomNodeView.of(stored)).build();
    }

    @GET
    @Operation(summary = "Every version of the tenant's own node types, without their code")
    public CustomNodeList list() {
        String tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ).toString();
        return new CustomNodeList(types.list(tenant).stream().map(CustomNodeView::of).toList());
    }

    @GET
    @Path("/{type}/versions/{version}")
    @Operation(summary = "One version of one of the tenant's own node types, with its code")
    public CustomNodeView get(@PathParam("type") String type, @PathParam("version") String version) {
        String tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ).toString();
        return CustomNodeView.of(stored(tenant, type, version));
    }

    @DELETE
    @Path("/{type}/versions/{version}")
    @Operation(summary = "Delete a version of one of the tenant's own node types; 409 while an active workflow uses it")
    public Response delete(@PathParam("type") String type, @PathParam("version") String version) {
        String tenant = caller.tenantFor(Role.EDITOR, Scope.WORKFLOWS_WRITE).toString();
        CustomNodeTypes.Stored stored = stored(tenant, type, version);
        NodeTypeDescriptor descriptor = stored.descriptor();
        List<String> using = uses.activeWorkflowsUsing(tenant, descriptor.type(), descriptor.version());
        if (!using.isEmpty()) {
            throw new ProblemException(ProblemType.CONFLICT, descriptor.type() + " v" + descriptor.version()
                    + " is used by the active version of " + String.join(", ", using) + "; change or deactivate them first");
        }
        types.delete(tenant, descriptor.type(), descriptor.version());
        LOG.infof("tenant %s deleted custom node type %s v%d", tenant, descriptor.type(), descriptor.version());
        return Response.noContent().build();
    }

    private CustomNodeTypes.Stored stored(String tenant, String type, String version) {
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw notFound(type, version);
        }
        if (!CustomNodeTypes.isCustom(type) || type.length() > 200) {
            throw notFound(type, version);
        }
        return types.find(tenant, type, number).orElseThrow(() -> notFound(type, version));
    }

    private static ProblemException notFound(String type, String version) {
        return ProblemException.notFound("custom node type " + ProblemMappers.truncate(type) + " v" + ProblemMappers.truncate(version));
    }

    /** A version registered again: the same content answers what is stored; other content is refused, as versions do not change. */
    private static Response same(CustomNodeTypes.Stored stored, NodeTypeDescriptor descriptor, String sha) {
        if (!stored.codeSha256().equals(sha) || !CanonicalJson.sha256(stored.descriptor()).equals(CanonicalJson.sha256(descriptor))) {
            throw new ProblemException(ProblemType.CONFLICT, descriptor.type() + " v" + descriptor.version()
                    + " is registered already with other content; versions do not change: register v" + (descriptor.version() + 1));
        }
        return Response.ok(CustomNodeView.of(stored)).build();
    }

    private Optional<ScriptSession.CodeProblem> check(String tenant, String code) {
        try (ScriptSession session = sandbox.open(tenant, new ScriptData(List.of(), Map.of(), WeftJson.mapper().createObjectNode(), "", "",
                Instant.now()), CHECK_TIME)) {
            return session.checkCustom(code);
        }
    }

    static String sha256(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
