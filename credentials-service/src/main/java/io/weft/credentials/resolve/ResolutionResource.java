package io.weft.credentials.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.audit.AuditTrail;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialIds;
import io.weft.credentials.manage.CredentialStore;
import io.weft.credentials.oauth2.OAuth2Tokens;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The one way secret values leave this service: to the executor, for one node run. The caller must
 * hold a service token of {@code service:executor} with the {@code credentials:resolve} scope, for
 * the credential's tenant. Every resolution is audited before the data is answered; when the audit
 * event cannot be published, nothing is answered (503). Not for the public: the gateway routes no
 * {@code /internal/**}.
 */
@Path("/internal/credentials/{id}/resolve")
@Tag(name = "internal")
@Authenticated
public class ResolutionResource {
    public static final String SCOPE = "credentials:resolve";
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final CredentialStore store;
    private final CredentialSealer sealer;
    private final AuditTrail audit;
    private final Caller caller;
    private final OAuth2Tokens tokens;

    ResolutionResource(CredentialStore store, CredentialSealer sealer, AuditTrail audit, Caller caller, OAuth2Tokens tokens) {
        this.tokens = tokens;
        this.store = store;
        this.sealer = sealer;
        this.audit = audit;
        this.caller = caller;
    }

    /** Which node run asks: recorded in the audit trail. */
    public record ResolveRequest(String executionId, String nodeId) {
    }

    public record Resolved(String id, String type, int revision, JsonNode data) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decrypted data of one credential for one node run (executor only)")
    public Uni<Response> resolve(@PathParam("id") String id, ResolveRequest body) {
        caller.requireService("executor", SCOPE, "only the executor resolves credentials");
        UUID tenant = caller.tenantId();
        if (body == null || !valid(body.executionId()) || !valid(body.nodeId())) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "executionId and nodeId are required: 1 to 128 of A-Z a-z 0-9 . _ : -");
        }
        UUID credential = CredentialIds.parse(id);
        return store.find(tenant, credential)
                .map(found -> found.orElseThrow(CredentialIds::notFound))
                .chain(stored -> sealer.open(tenant, stored.id(), stored.revision(), stored.sealed())
                        .chain(data -> tokens.fresh(stored, data))
                        .call(() -> audit.record(caller, tenant, "credential.resolve", stored.id().toString(), AuditEvent.Outcome.SUCCESS,
                                        AuditTrail.details("executionId", body.executionId(), "nodeId", body.nodeId(),
                                                "revision", stored.revision()))
                                .onFailure().transform(failure -> new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                                        "the resolution could not be audited (the message broker did not take it); try again")))
                        .map(data -> Response.ok(new Resolved(stored.id().toString(), stored.type(), stored.revision(), data))
                                .header("Cache-Control", "no-store").build()));
    }

    private static boolean valid(String reference) {
        return reference != null && REFERENCE.matcher(reference).matches();
    }
}
