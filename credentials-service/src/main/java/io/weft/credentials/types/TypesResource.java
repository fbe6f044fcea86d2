package io.weft.credentials.types;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.weft.platform.problems.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The credential types and their JSON Schemas; secret fields are those marked {@code writeOnly}. */
@Path("/api/credentials/types")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class TypesResource {
    private final CredentialTypes types;

    TypesResource(CredentialTypes types) {
        this.types = types;
    }

    public record TypeView(String type, String displayName, Set<String> secretFields, JsonNode schema) {
    }

    public record TypeList(List<TypeView> types) {
    }

    @GET
    @Operation(summary = "Every credential type with its JSON Schema")
    public TypeList list() {
        return new TypeList(types.all().stream().map(TypesResource::view).toList());
    }

    @GET
    @Path("/{type}")
    @Operation(summary = "One credential type with its JSON Schema")
    public TypeView one(@PathParam("type") String type) {
        return types.find(type).map(TypesResource::view).orElseThrow(() -> ProblemException.notFound("credential type"));
    }

    private static TypeView view(CredentialType type) {
        return new TypeView(type.type(), type.displayName(), type.secretFields(), type.schema());
    }
}
