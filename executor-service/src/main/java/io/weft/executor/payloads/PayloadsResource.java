package io.weft.executor.payloads;

import io.quarkus.security.Authenticated;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Downloads a binary payload that a node produced (an item's {@code binary} names its id). Always
 * as an attachment of type {@code application/octet-stream}, so that a payload is never rendered
 * by a browser as the API's own content.
 */
@Path("/api/executor/payloads")
@Authenticated
public class PayloadsResource {
    private final PayloadStore store;
    private final Caller caller;

    PayloadsResource(PayloadStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A binary payload of the tenant's executions, by the id an item's binary names")
    public Response get(@PathParam("id") String id) {
        String tenant = caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ).toString();
        if (!PayloadStore.wellFormed(id)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "a payload id is sha256- and 64 lower-case hex digits");
        }
        byte[] bytes = store.read(tenant, id)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "there is no such payload"));
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + id + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
