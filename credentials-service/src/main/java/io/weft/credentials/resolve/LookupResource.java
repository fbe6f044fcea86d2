package io.weft.credentials.resolve;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.manage.CredentialIds;
import io.weft.credentials.manage.CredentialStore;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Which of some credential ids exist in the token's tenant, and their types: what compiler-service
 * checks a workflow's references against. Metadata only; for services with {@code credentials:read}.
 */
@Path("/internal/credentials/lookup")
@Tag(name = "internal")
@Authenticated
public class LookupResource {
    static final int MAX_IDS = 1000;

    private final CredentialStore store;
    private final Caller caller;

    LookupResource(CredentialStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    public record LookupRequest(List<String> ids) {
    }

    public record Found(String id, String type, String status) {
    }

    public record LookupAnswer(List<Found> credentials) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Types of the credentials among the ids that exist in the tenant (services only)")
    public Uni<LookupAnswer> lookup(LookupRequest body) {
        caller.requireService(null, Scope.CREDENTIALS_READ.wireName(), "only services with credentials:read look credentials up");
        UUID tenant = caller.tenantId();
        if (body == null || body.ids() == null || body.ids().size() > MAX_IDS) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "ids must be a list of at most " + MAX_IDS + " credential ids");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        body.ids().stream().map(CredentialIds::tryParse).flatMap(Optional::stream).forEach(ids::add);
        return store.types(tenant, ids).map(found -> new LookupAnswer(found.stream()
                .map(row -> new Found(row.id().toString(), row.type(), row.status())).toList()));
    }
}
