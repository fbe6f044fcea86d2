package io.weft.credentials.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.audit.AuditTrail;
import io.weft.credentials.crypto.Aead;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialIds;
import io.weft.credentials.manage.CredentialStore;
import io.weft.platform.problems.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Where OAuth2 providers send the user back (public: the gateway forwards it without a login; the
 * one-time state, found by its hash, is what authenticates it). The code is exchanged for tokens
 * with the flow's PKCE verifier, under the credential's refresh lock.
 */
@Path("/oauth2/callback")
public class OAuth2CallbackResource {
    private static final int VERIFIER_REVISION = OAuth2Resource.VERIFIER_REVISION;

    private final CredentialStore store;
    private final CredentialSealer sealer;
    private final OAuth2Tokens tokens;
    private final TokenEndpoint endpoint;
    private final AuditTrail audit;
    private final OAuth2Config config;
    private final Pool pool;
    private final Clock clock;

    OAuth2CallbackResource(CredentialStore store, CredentialSealer sealer, OAuth2Tokens tokens, TokenEndpoint endpoint, AuditTrail audit,
                           OAuth2Config config, Pool pool, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.tokens = tokens;
        this.endpoint = endpoint;
        this.audit = audit;
        this.config = config;
        this.pool = pool;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Where the provider sends the user back (public; the state authenticates it)")
    public Uni<Response> callback(@QueryParam("state") String state, @QueryParam("code") String code, @QueryParam("error") String error) {
        if (state == null || state.isBlank() || state.length() > 200) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "the state is missing; start connecting the credential again");
        }
        return pool.preparedQuery("""
                        DELETE FROM oauth2_states WHERE state_hash = $1
                        RETURNING tenant_id, credential_id, data_key_version, nonce, sealed_verifier, started_by, expires_at""")
                .execute(Tuple.of(HexFormat.of().formatHex(OAuth2Resource.sha256(state))))
                .chain(rows -> {
                    var row = rows.rowCount() == 0 ? null : rows.iterator().next();
                    if (row == null || row.getOffsetDateTime("expires_at").toInstant().isBefore(clock.instant())) {
                        throw new ProblemException(ProblemType.VALIDATION_FAILED,
                                "this authorization is unknown, used or expired; start connecting the credential again");
                    }
                    if (error != null || code == null || code.isBlank() || code.length() > 4096) {
                        throw new ProblemException(ProblemType.VALIDATION_FAILED, "the provider did not authorize: "
                                + (error == null ? "no code" : error.replaceAll("[^A-Za-z0-9_.-]", "").substring(0, Math.min(64, error.length()))));
                    }
                    UUID tenant = row.getUUID("tenant_id");
                    UUID credentialId = row.getUUID("credential_id");
                    AuditEvent.Actor actor = new AuditEvent.Actor(AuditEvent.ActorType.USER, row.getString("started_by"));
                    return sealer.open(tenant, credentialId, VERIFIER_REVISION, new CredentialSealer.SealedData(row.getInteger("data_key_version"),
                                    new Aead.Sealed(row.getBuffer("nonce").getBytes(), row.getBuffer("sealed_verifier").getBytes())))
                            .chain(verifier -> exchange(tenant, credentialId, code, verifier.path("verifier").asText()))
                            .call(() -> audit.recordAfter(actor, tenant, "credential.connect", credentialId.toString(), AuditTrail.details()))
                            .replaceWith(Response.ok("<!doctype html><title>Connected</title><p>The credential is connected."
                                            + " You can close this window.</p>")
                                    .header("Content-Security-Policy", "default-src 'none'").header("Cache-Control", "no-store").build());
                });
    }

    private Uni<JsonNode> exchange(UUID tenant, UUID credentialId, String code, String verifier) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT pg_advisory_xact_lock(hashtext('weft-oauth2-refresh/' || $1::text))").execute(Tuple.of(credentialId.toString()))
                .chain(() -> store.find(connection, tenant, credentialId))
                .map(found -> found.orElseThrow(CredentialIds::notFound))
                .chain(credential -> sealer.open(tenant, credentialId, credential.revision(), credential.sealed())
                        .chain(data -> endpoint.request(credential.type(), data, Map.of("grant_type", "authorization_code", "code", code,
                                        "redirect_uri", config.callbackUrl().toString(), "code_verifier", verifier), null)
                                .onFailure(TokenEndpoint.TokenError.class).transform(failure -> new ProblemException(
                                        ProblemType.BAD_GATEWAY, "the code could not be exchanged for tokens: " + failure.getMessage()))
                                .chain(fresh -> tokens.store(connection, credential, data, fresh)))));
    }

}
