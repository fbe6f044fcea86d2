package io.weft.credentials.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.audit.AuditTrail;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialIds;
import io.weft.credentials.manage.CredentialStore;
import io.weft.credentials.manage.StoredCredential;
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
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The one way secret values leave this service: to the executor, for one node run, and to
 * inference-service, for one answer of a model outside a workflow (a knowledge base's {@code ask},
 * the assistant) — and to inference-service only the credentials of chat-model providers
 * ({@link #INFERENCE_TYPES}); any other type is refused to it (403, audited as denied). The caller
 * must hold a service token of one of those two services with the {@code credentials:resolve}
 * scope, for the credential's tenant. Every resolution is audited before the data is answered; when
 * the audit event cannot be published, nothing is answered (503). Not for the public: the gateway
 * routes no {@code /internal/**}.
 */
@Path("/internal/credentials/{id}/resolve")
@Tag(name = "internal")
@Authenticated
public class ResolutionResource {
    public static final String SCOPE = "credentials:resolve";
    /** What inference-service may resolve: the credentials of the providers its models call. */
    public static final Set<String> INFERENCE_TYPES = Set.of("openAiApi", "googleGeminiApi", "ollamaApi");
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

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

    /**
     * Why the data is asked for, recorded in the audit trail: the executor names its node run
     * ({@code executionId}, {@code nodeId}), inference-service its {@code purpose} (e.g.
     * {@code ask:<knowledge base>}). {@code refusedTokenSha256}: the provider answered 401 to the
     * OAuth2 access token with this hex SHA-256; it is refreshed now unless it is no longer current.
     */
    public record ResolveRequest(String executionId, String nodeId, String purpose, String refusedTokenSha256) {
    }

    public record Resolved(String id, String type, int revision, JsonNode data) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decrypted data of one credential for one node run (executor) or one model answer (inference-service, chat-model providers only)")
    public Uni<Response> resolve(@PathParam("id") String id, ResolveRequest body) {
        boolean inference = "service:inference".equals(caller.subject());
        caller.requireService(inference ? "inference" : "executor", SCOPE, "only the executor and inference-service resolve credentials");
        UUID tenant = caller.tenantId();
        if (inference ? body == null || !valid(body.purpose()) : body == null || !valid(body.executionId()) || !valid(body.nodeId())) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, (inference ? "purpose is" : "executionId and nodeId are")
                    + " required: 1 to 128 of A-Z a-z 0-9 . _ : -");
        }
        if (body.refusedTokenSha256() != null && !SHA256.matcher(body.refusedTokenSha256()).matches()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "refusedTokenSha256 must be 64 hex digits");
        }
        JsonNode asked = inference ? AuditTrail.details("purpose", body.purpose())
                : AuditTrail.details("executionId", body.executionId(), "nodeId", body.nodeId());
        JsonNode why = body.refusedTokenSha256() == null ? asked : with(asked, "afterRefusal", true);
        UUID credential = CredentialIds.parse(id);
        return store.find(tenant, credential)
                .map(found -> found.orElseThrow(CredentialIds::notFound))
                .call(stored -> inference && !INFERENCE_TYPES.contains(stored.type()) ? refused(tenant, stored, why) : Uni.createFrom().voidItem())
                .chain(stored -> sealer.open(tenant, stored.id(), stored.revision(), stored.sealed())
                        .chain(data -> body.refusedTokenSha256() == null ? tokens.fresh(stored, data)
                                : tokens.afterRefusal(stored, data, body.refusedTokenSha256()))
                        .call(() -> audit.record(caller, tenant, "credential.resolve", stored.id().toString(), AuditEvent.Outcome.SUCCESS,
                                        with(why, "revision", stored.revision()))
                                .onFailure().transform(failure -> new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                                        "the resolution could not be audited (the message broker did not take it); try again")))
                        .map(data -> Response.ok(new Resolved(stored.id().toString(), stored.type(), stored.revision(), data))
                                .header("Cache-Control", "no-store").build()));
    }

    /** inference-service asked for a type it may not have: audited as denied (when the broker takes it), then 403. */
    private Uni<Void> refused(UUID tenant, StoredCredential stored, JsonNode why) {
        ProblemException refusal = new ProblemException(ProblemType.FORBIDDEN, "inference-service resolves only the credentials of"
                + " chat-model providers (openAiApi, googleGeminiApi, ollamaApi), not " + stored.type());
        return audit.record(caller, tenant, "credential.resolve", stored.id().toString(), AuditEvent.Outcome.DENIED,
                        with(why, "type", stored.type()))
                .onItemOrFailure().transformToUni((done, failure) -> Uni.createFrom().failure(refusal));
    }

    private static JsonNode with(JsonNode details, String key, Object value) {
        ObjectNode more = details.deepCopy();
        more.putPOJO(key, value);
        return more;
    }

    private static boolean valid(String reference) {
        return reference != null && REFERENCE.matcher(reference).matches();
    }
}
