package io.weft.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet's merged OpenAPI document, also shown by Swagger UI at /q/swagger-ui. */
@Path("/api/docs/openapi")
@Tag(name = "docs")
public class DocsResource {
    private final FleetOpenApi openApi;

    DocsResource(FleetOpenApi openApi) {
        this.openApi = openApi;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The OpenAPI document of every service behind the gateway, merged")
    public Uni<JsonNode> document(@Context HttpServerRequest request) {
        return openApi.document(request.localAddress().port());
    }
}
