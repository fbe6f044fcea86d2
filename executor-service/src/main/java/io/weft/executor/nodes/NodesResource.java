package io.weft.executor.nodes;

import io.quarkus.security.Authenticated;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.problems.ProblemMappers;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The node catalog: the built-in node types and the caller's tenant's own ({@code custom.*}). Answers
 * carry the catalog's ETag; a client that sends it back in {@code If-None-Match} gets 304 until the
 * catalog changes (a deployment of other node types, a custom type registered or deleted).
 */
@Path("/api/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class NodesResource {
    private static final String CACHE_CONTROL = "private, no-cache";

    private final NodeCatalog catalog;
    private final Caller caller;

    NodesResource(NodeCatalog catalog, Caller caller) {
        this.catalog = catalog;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The newest version of every node type, optionally of one family")
    public Response list(@QueryParam("family") String family, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        caller.require(Role.VIEWER, Scope.WORKFLOWS_READ);
        Optional<NodeFamily> wanted = Optional.ofNullable(family).filter(value -> !value.isEmpty()).map(NodesResource::family);
        NodeCatalog.TenantCatalog seen = catalog.forTenant(tenant());
        return answer(seen, seen.latest(wanted), ifNoneMatch);
    }

    @GET
    @Path("/all")
    @Operation(summary = "Every version of every node type (what the compiler checks against)")
    public Response all(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        caller.require(Role.VIEWER, Scope.WORKFLOWS_READ);
        NodeCatalog.TenantCatalog seen = catalog.forTenant(tenant());
        return answer(seen, seen.all(), ifNoneMatch);
    }

    @GET
    @Path("/{type}")
    @Operation(summary = "Every version of one node type, oldest first")
    public Response versions(@PathParam("type") String type, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        caller.require(Role.VIEWER, Scope.WORKFLOWS_READ);
        NodeCatalog.TenantCatalog seen = catalog.forTenant(tenant());
        List<NodeTypeDescriptor> versions = seen.versions(type);
        if (versions.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "there is no node type named \"" + ProblemMappers.truncate(type) + "\"");
        }
        return answer(seen, versions, ifNoneMatch);
    }

    /** The caller's tenant, whose own node types it sees next to the built-in ones; none for a service token without one. */
    private Optional<String> tenant() {
        return caller.tenant().map(java.util.UUID::toString);
    }

    private Response answer(NodeCatalog.TenantCatalog seen, List<NodeTypeDescriptor> body, String ifNoneMatch) {
        String etag = seen.etag();
        if (ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("W/" + etag) || tag.equals("*"))) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL).build();
        }
        return Response.ok(body).header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL).build();
    }

    private static NodeFamily family(String value) {
        return Arrays.stream(NodeFamily.values())
                .filter(candidate -> candidate.name().equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION_FAILED, "family must be one of "
                        + Arrays.stream(NodeFamily.values()).map(f -> f.name().toLowerCase()).toList()));
    }
}
