package io.weft.credentials.providers;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.credentials.audit.AuditTrail;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialIds;
import io.weft.credentials.manage.CredentialStore;
import io.weft.credentials.oauth2.OAuth2Tokens;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Testing a credential against its provider, for editors; the answer says whether it works, never what it holds. */
@Path("/api/credentials/{id}/test")
@Authenticated
public class CredentialTestResource {
    private final CredentialStore store;
    private final CredentialSealer sealer;
    private final OAuth2Tokens tokens;
    private final CredentialChecks checks;
    private final AuditTrail audit;
    private final Caller caller;

    CredentialTestResource(CredentialStore store, CredentialSealer sealer, OAuth2Tokens tokens, CredentialChecks checks, AuditTrail audit,
                           Caller caller) {
        this.store = store;
        this.sealer = sealer;
        this.tokens = tokens;
        this.checks = checks;
        this.audit = audit;
        this.caller = caller;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask the credential's provider whether it works (OpenAI, Gemini, Ollama, Slack, Google)")
    public Uni<CredentialChecks.Result> test(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.CREDENTIALS_WRITE);
        UUID credential = CredentialIds.parse(id);
        return store.find(tenant, credential).map(found -> found.orElseThrow(CredentialIds::notFound))
                .chain(stored -> sealer.open(tenant, credential, stored.revision(), stored.sealed())
                        .chain(data -> tokens.fresh(stored, data))
                        .chain(data -> checks.check(stored.type(), data)))
                .call(result -> audit.recordAfter(caller, tenant, "credential.test", credential.toString(),
                        AuditTrail.details("tested", result.tested(), "ok", result.ok())));
    }
}
