package io.weft.gateway.identity;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Rotating refresh tokens. A token is {@code wrt_} + 256 random bits; only its SHA-256 is stored.
 * Spending is one atomic UPDATE, so two concurrent refreshes with the same token cannot both win;
 * presenting a token that was already spent revokes its whole family (the token was stolen, or
 * the legitimate holder's copy was), and so does logout.
 */
@ApplicationScoped
public class RefreshTokens {
    private static final Logger LOG = Logger.getLogger(RefreshTokens.class);
    static final String PREFIX = "wrt_";
    private static final int MAX_TOKEN_LENGTH = 100;

    private final Pool pool;
    private final AuthConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RefreshTokens(Pool pool, AuthConfig config, Clock clock) {
        this.pool = pool;
        this.config = config;
        this.clock = clock;
    }

    /** Whom a spent token belonged to, and its successor. */
    public record Rotation(UUID tenantId, UUID userId, Issued next) {
    }

    public record Issued(String token, long expiresInSeconds) {
    }

    /** Starts a new family, e.g. at login. */
    public Uni<Issued> start(UUID tenantId, UUID userId) {
        return insert(UUID.randomUUID(), tenantId, userId);
    }

    /** Spends {@code token} and issues its successor in the same family. */
    public Uni<Rotation> rotate(String token) {
        byte[] hash = hash(token);
        return pool.preparedQuery("""
                        UPDATE refresh_tokens SET spent_at = $2
                        WHERE token_hash = $1 AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > $2
                        RETURNING family_id, tenant_id, user_id""")
                .execute(Tuple.of(hash, now()))
                .chain(rows -> {
                    if (rows.rowCount() == 1) {
                        Row row = rows.iterator().next();
                        UUID tenantId = row.getUUID("tenant_id");
                        UUID userId = row.getUUID("user_id");
                        return insert(row.getUUID("family_id"), tenantId, userId)
                                .map(next -> new Rotation(tenantId, userId, next));
                    }
                    return revokeFamilyIfSpent(hash).chain(() -> Uni.createFrom().failure(invalid()));
                });
    }

    /** Whose family was revoked. */
    public record Owner(UUID tenantId, UUID userId) {
    }

    /** Revokes the family of {@code token}; unknown tokens are ignored so logout never fails. */
    public Uni<java.util.Optional<Owner>> revokeFamily(String token) {
        return pool.preparedQuery("""
                        UPDATE refresh_tokens SET revoked_at = $2
                        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
                        RETURNING tenant_id, user_id""")
                .execute(Tuple.of(hash(token), now()))
                .map(rows -> rows.rowCount() == 0 ? java.util.Optional.<Owner>empty()
                        : java.util.Optional.of(new Owner(rows.iterator().next().getUUID("tenant_id"),
                                rows.iterator().next().getUUID("user_id"))));
    }

    /** A spent token came back: its family is revoked, and the owner may want to know. */
    public static final class ReusedToken extends ProblemException {
        private final Owner owner;

        ReusedToken(Owner owner) {
            super(ProblemType.UNAUTHORIZED, "the refresh token is invalid, expired or revoked");
            this.owner = owner;
        }

        public Owner owner() {
            return owner;
        }
    }

    private Uni<Void> revokeFamilyIfSpent(byte[] hash) {
        return pool.preparedQuery("""
                        UPDATE refresh_tokens SET revoked_at = $2
                        WHERE revoked_at IS NULL AND family_id = (
                            SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND spent_at IS NOT NULL)
                        RETURNING family_id, tenant_id, user_id""")
                .execute(Tuple.of(hash, now()))
                .map(rows -> {
                    if (rows.rowCount() > 0) {
                        Row row = rows.iterator().next();
                        LOG.warnf("A spent refresh token was presented again; revoked its family %s", row.getUUID("family_id"));
                        throw new ReusedToken(new Owner(row.getUUID("tenant_id"), row.getUUID("user_id")));
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    private Uni<Issued> insert(UUID familyId, UUID tenantId, UUID userId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        OffsetDateTime expiresAt = now().plus(config.refreshTokenTtl());
        return pool.preparedQuery("""
                        INSERT INTO refresh_tokens (id, family_id, tenant_id, user_id, token_hash, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.from(new Object[] {UUID.randomUUID(), familyId, tenantId, userId, hash(token), expiresAt}))
                .map(ignored -> new Issued(token, config.refreshTokenTtl().toSeconds()));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static byte[] hash(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > MAX_TOKEN_LENGTH) {
            throw invalid();
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException invalid() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "the refresh token is invalid, expired or revoked");
    }
}
