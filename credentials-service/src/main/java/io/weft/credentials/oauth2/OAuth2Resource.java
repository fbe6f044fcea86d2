package io.weft.credentials.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialIds;
import io.weft.credentials.manage.CredentialStore;
import io.weft.credentials.manage.StoredCredential;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Connecting an OAuth2 credential with the authorization-code flow and PKCE (S256): an editor asks
 * for the provider's authorization URL; the provider sends the user back to the public callback with
 * a code and the state, which is good once and for {@link OAuth2Config#stateLifetime()}; the code is
 * exchanged for tokens, stored sealed with the credential ({@link OAuth2CallbackResource}).
 */
@Path("/api/credentials/{id}/oauth2")
public class OAuth2Resource {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The PKCE verifier is sealed like credential data, under revision 0, which no credential revision uses. */
    static final int VERIFIER_REVISION = 0;

    private final CredentialStore store;
    private final CredentialSealer sealer;
    private final OAuth2Config config;
    private final Caller caller;
    private final Pool pool;
    private final Clock clock;

    OAuth2Resource(CredentialStore store, CredentialSealer sealer, OAuth2Config config, Caller caller, Pool pool, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.config = config;
        this.caller = caller;
        this.pool = pool;
        this.clock = clock;
    }

    public record Authorization(String authorizationUrl, Instant expiresAt) {
    }

    @POST
    @Path("authorize")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start connecting an OAuth2 credential: the provider's authorization URL to send the user to")
    public Uni<Authorization> authorize(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.CREDENTIALS_WRITE);
        UUID credentialId = CredentialIds.parse(id);
        return store.find(tenant, credentialId).map(found -> found.orElseThrow(CredentialIds::notFound))
                .chain(credential -> {
                    if (!OAuth2Settings.isOAuth2(credential.type())) {
                        throw new ProblemException(ProblemType.CONFLICT, "a " + credential.type() + " credential is not connected with OAuth2");
                    }
                    return sealer.open(tenant, credentialId, credential.revision(), credential.sealed())
                            .chain(data -> start(tenant, credential, data));
                });
    }

    private Uni<Authorization> start(UUID tenant, StoredCredential credential, JsonNode data) {
        if (OAuth2Settings.clientCredentials(data)) {
            throw new ProblemException(ProblemType.CONFLICT, "a client-credentials credential needs no authorization; it gets its token when used");
        }
        URI authorize = OAuth2Settings.authorizationUrl(credential.type(), data);
        String state = random(32);
        String verifier = random(48);
        Instant expiresAt = clock.instant().plus(config.stateLifetime());
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", data.path("clientId").asText());
        query.put("redirect_uri", config.callbackUrl().toString());
        query.put("state", state);
        if (data.hasNonNull("scope") && !data.path("scope").asText().isBlank()) {
            query.put("scope", data.path("scope").asText());
        }
        if (data.path("pkce").asBoolean(true)) {
            query.put("code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier)));
            query.put("code_challenge_method", "S256");
        }
        if (credential.type().startsWith("gmail") || credential.type().startsWith("googleSheets")) {
            query.put("access_type", "offline"); // Google hands out a refresh token only then
            query.put("prompt", "consent");
        }
        StringJoiner encoded = new StringJoiner("&");
        query.forEach((name, value) -> encoded.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        String url = authorize + (authorize.getRawQuery() == null ? "?" : "&") + encoded;
        return sealer.seal(tenant, credential.id(), VERIFIER_REVISION, WeftJson.mapper().createObjectNode().put("verifier", verifier))
                .chain(sealed -> pool.preparedQuery("""
                                INSERT INTO oauth2_states (state_hash, tenant_id, credential_id, data_key_version, nonce, sealed_verifier,
                                                           started_by, expires_at)
                                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                        .execute(Tuple.from(java.util.List.of(HexFormat.of().formatHex(sha256(state)), tenant, credential.id(),
                                sealed.dataKeyVersion(), io.vertx.core.buffer.Buffer.buffer(sealed.sealed().nonce()),
                                io.vertx.core.buffer.Buffer.buffer(sealed.sealed().ciphertext()), caller.subject(),
                                OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))))
                .map(inserted -> new Authorization(url, expiresAt));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
