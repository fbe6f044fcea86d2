package io.weft.credentials.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.audit.AuditTrail;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialStore;
import io.weft.credentials.manage.StoredCredential;
import io.weft.credentials.types.CredentialType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Keeps OAuth2 credentials' access tokens fresh for resolution: a token that expires within
 * {@link OAuth2Config#refreshBefore()} is refreshed first (or, for client credentials, fetched).
 * The refresh runs under a lock per credential held in PostgreSQL, across replicas; whoever waited
 * for the lock reads the credential again and finds the new token, so concurrent resolutions cause
 * one refresh. A refresh the provider refuses marks the credential {@code needs_reconnection},
 * audited as {@code credential.needs-reconnection}.
 */
@ApplicationScoped
public class OAuth2Tokens {
    private static final Logger LOG = Logger.getLogger(OAuth2Tokens.class);

    private final Pool pool;
    private final CredentialStore store;
    private final CredentialSealer sealer;
    private final TokenEndpoint endpoint;
    private final AuditTrail audit;
    private final OAuth2Config config;
    private final Clock clock;
    private final Map<UUID, CompletableFuture<JsonNode>> refreshing = new ConcurrentHashMap<>();

    OAuth2Tokens(Pool pool, CredentialStore store, CredentialSealer sealer, TokenEndpoint endpoint, AuditTrail audit, OAuth2Config config,
                 Clock clock) {
        this.pool = pool;
        this.store = store;
        this.sealer = sealer;
        this.endpoint = endpoint;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The credential's data with a usable access token, refreshed if it was about to expire. On one
     * replica, concurrent callers share one refresh (and one database connection waiting for the lock).
     */
    public Uni<JsonNode> fresh(StoredCredential credential, JsonNode data) {
        if (!OAuth2Settings.isOAuth2(credential.type()) || !due(data)) {
            return Uni.createFrom().item(data);
        }
        return shared(credential, this::due);
    }

    /**
     * The credential's data after a provider refused its access token (401) although it had not
     * expired (revoked, rotated): refreshed now, unless the current token is no longer the refused one
     * ({@code refusedTokenSha256}, hex SHA-256 of it) — another caller refreshed it already, and the
     * current one is answered. Not OAuth2: the data as it is.
     */
    public Uni<JsonNode> afterRefusal(StoredCredential credential, JsonNode data, String refusedTokenSha256) {
        if (!OAuth2Settings.isOAuth2(credential.type()) || !isToken(data, refusedTokenSha256)) {
            return Uni.createFrom().item(data);
        }
        return shared(credential, current -> isToken(current, refusedTokenSha256));
    }

    private static boolean isToken(JsonNode data, String sha256) {
        String token = data.path(CredentialType.TOKENS).path("accessToken").asText("");
        if (token.isEmpty()) {
            return false;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(HexFormat.of().formatHex(hash).getBytes(StandardCharsets.US_ASCII),
                    sha256.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One refresh on this replica for concurrent callers, under the lock across replicas; {@code needed} is asked again under it. */
    private Uni<JsonNode> shared(StoredCredential credential, Predicate<JsonNode> needed) {
        return Uni.createFrom().completionStage(() -> {
            CompletableFuture<JsonNode> mine = new CompletableFuture<>();
            CompletableFuture<JsonNode> running = refreshing.putIfAbsent(credential.id(), mine);
            if (running != null) {
                return running;
            }
            refreshUnderLock(credential.tenantId(), credential.id(), needed).subscribe().with(
                    fresh -> {
                        refreshing.remove(credential.id(), mine);
                        mine.complete(fresh);
                    },
                    failure -> {
                        refreshing.remove(credential.id(), mine);
                        mine.completeExceptionally(failure);
                    });
            return mine;
        });
    }

    /** Due: a client-credentials credential without a fresh token, or a connected one whose token expires soon. */
    private boolean due(JsonNode data) {
        JsonNode tokens = data.path(CredentialType.TOKENS);
        if (tokens.isMissingNode()) {
            return OAuth2Settings.clientCredentials(data);
        }
        String expiresAt = tokens.path("expiresAt").asText(null);
        return expiresAt != null && Instant.parse(expiresAt).isBefore(clock.instant().plus(config.refreshBefore()));
    }

    private Uni<JsonNode> refreshUnderLock(UUID tenant, UUID id, Predicate<JsonNode> needed) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery("SELECT pg_advisory_xact_lock(hashtext('weft-oauth2-refresh/' || $1::text))").execute(Tuple.of(id.toString()))
                        .chain(() -> store.find(connection, tenant, id))
                        .map(found -> found.orElseThrow(() -> ProblemException.notFound("credential")))
                        .chain(current -> sealer.open(tenant, id, current.revision(), current.sealed())
                                .chain(data -> needed.test(data) ? refresh(connection, current, data) : Uni.createFrom().item(data))))
                .onFailure(TokenEndpoint.TokenError.class).recoverWithUni(failure -> refused(tenant, id, (TokenEndpoint.TokenError) failure));
    }

    private Uni<JsonNode> refresh(SqlConnection connection, StoredCredential current, JsonNode data) {
        JsonNode earlier = data.path(CredentialType.TOKENS);
        String refreshToken = earlier.path("refreshToken").asText(null);
        Map<String, String> form;
        if (OAuth2Settings.clientCredentials(data)) {
            form = data.hasNonNull("scope") ? Map.of("grant_type", "client_credentials", "scope", data.path("scope").asText())
                    : Map.of("grant_type", "client_credentials");
        } else if (refreshToken != null) {
            form = Map.of("grant_type", "refresh_token", "refresh_token", refreshToken);
        } else {
            return Uni.createFrom().failure(new TokenEndpoint.TokenError("the access token expired and there is no refresh token", true));
        }
        return endpoint.request(current.type(), data, form, earlier.isMissingNode() ? null : earlier)
                .chain(tokens -> store(connection, current, data, tokens))
                .call(() -> audit.recordAfter(AuditTrail.SELF, current.tenantId(), "credential.refresh", current.id().toString(),
                        AuditTrail.details("grant", form.get("grant_type"))));
    }

    /** Writes the new tokens as the credential's next revision, on the connection that holds the lock. */
    Uni<JsonNode> store(SqlConnection connection, StoredCredential current, JsonNode data, ObjectNode tokens) {
        ObjectNode next = data.deepCopy();
        next.set(CredentialType.TOKENS, tokens);
        int revision = current.revision() + 1;
        return sealer.sealUnder(current.sealed().dataKeyVersion(), current.tenantId(), current.id(), revision, next)
                .chain(sealed -> connection.preparedQuery("""
                                UPDATE credentials SET revision = $3, data_key_version = $4, nonce = $5, ciphertext = $6,
                                       secrets_set = array_append(array_remove(secrets_set, 'oauthTokenData'), 'oauthTokenData'),
                                       status = 'ok', updated_at = now()
                                WHERE tenant_id = $1 AND id = $2 AND revision = $7""")
                        .execute(Tuple.from(java.util.List.of(current.tenantId(), current.id(), revision, sealed.dataKeyVersion(),
                                Buffer.buffer(sealed.sealed().nonce()), Buffer.buffer(sealed.sealed().ciphertext()), current.revision()))))
                .map(updated -> {
                    if (updated.rowCount() != 1) {
                        throw new ProblemException(ProblemType.CONFLICT, "the credential changed while its token was refreshed; try again");
                    }
                    return (JsonNode) next;
                });
    }

    private Uni<JsonNode> refused(UUID tenant, UUID id, TokenEndpoint.TokenError error) {
        if (!error.refused()) {
            LOG.warnf("credential %s: its token could not be refreshed: %s", id, error.getMessage());
            return Uni.createFrom().failure(new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                    "the credential's token could not be refreshed now: " + error.getMessage()));
        }
        return pool.preparedQuery("UPDATE credentials SET status = 'needs_reconnection', updated_at = now() WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, id))
                .call(() -> audit.recordAfter(AuditTrail.SELF, tenant, "credential.needs-reconnection", id.toString(),
                        AuditTrail.details("reason", error.getMessage())))
                .chain(() -> Uni.createFrom().failure(new ProblemException(ProblemType.CONFLICT,
                        "the credential needs to be connected again: " + error.getMessage())));
    }
}
