package io.weft.gateway.identity;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenants and users in the gateway's database. Every user query is scoped by tenant except login by email. */
@ApplicationScoped
public class IdentityStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String USER_COLUMNS =
            "u.id, u.tenant_id, t.tier, u.email, u.display_name, u.role, u.password_hash, u.created_at";

    private final Pool pool;

    IdentityStore(Pool pool) {
        this.pool = pool;
    }

    /** Creates a tenant and its owner in one transaction. */
    public Uni<User> createTenantWithOwner(String tenantName, Tier tier, String email, String displayName, String passwordHash) {
        UUID tenantId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        return pool.withTransaction(connection -> connection
                        .preparedQuery("INSERT INTO tenants (id, name, tier) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(tenantId, tenantName, tier.wireName()))
                        .chain(() -> connection.preparedQuery("""
                                INSERT INTO users (id, tenant_id, email, display_name, role, password_hash)
                                VALUES ($1, $2, $3, $4, $5, $6)""")
                                .execute(Tuple.of(userId, tenantId, email, displayName, Role.OWNER.wireName(), passwordHash))))
                .onFailure(IdentityStore::isUniqueViolation).transform(e -> emailTaken())
                .chain(() -> findUser(tenantId, userId).map(Optional::orElseThrow));
    }

    public Uni<User> createUser(UUID tenantId, String email, String displayName, Role role, String passwordHash) {
        UUID userId = UUID.randomUUID();
        return pool.preparedQuery("""
                        INSERT INTO users (id, tenant_id, email, display_name, role, password_hash)
                        VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.of(userId, tenantId, email, displayName, role.wireName(), passwordHash))
                .onFailure(IdentityStore::isUniqueViolation).transform(e -> emailTaken())
                .chain(() -> findUser(tenantId, userId).map(Optional::orElseThrow));
    }

    /** The tier of each of the tenants that exist, by tenant id, and which of them are suspended. */
    public Uni<TenantTiers> tiers(List<UUID> tenantIds) {
        return pool.preparedQuery("SELECT id, tier, suspended_at IS NOT NULL AS suspended FROM tenants WHERE id = ANY($1)")
                .execute(Tuple.of(tenantIds.toArray(UUID[]::new)))
                .map(rows -> {
                    java.util.Map<UUID, Tier> tiers = new java.util.TreeMap<>();
                    List<UUID> suspended = new ArrayList<>();
                    rows.forEach(row -> {
                        tiers.put(row.getUUID("id"), Tier.fromWireName(row.getString("tier")));
                        if (row.getBoolean("suspended")) {
                            suspended.add(row.getUUID("id"));
                        }
                    });
                    return new TenantTiers(tiers, suspended);
                });
    }

    public record TenantTiers(java.util.Map<UUID, Tier> tiers, List<UUID> suspended) {
    }

    public Uni<Optional<User>> findByEmail(String email) {
        return pool.preparedQuery("SELECT " + USER_COLUMNS + " FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1")
                .execute(Tuple.of(email))
                .map(IdentityStore::first);
    }

    public Uni<Optional<User>> findUser(UUID tenantId, UUID userId) {
        return pool.preparedQuery("SELECT " + USER_COLUMNS
                        + " FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = $1 AND u.id = $2")
                .execute(Tuple.of(tenantId, userId))
                .map(IdentityStore::first);
    }

    public Uni<List<User>> listUsers(UUID tenantId, int limit, int offset) {
        return pool.preparedQuery("SELECT " + USER_COLUMNS
                        + " FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = $1"
                        + " ORDER BY u.created_at, u.id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(tenantId, limit, offset))
                .map(rows -> {
                    List<User> users = new ArrayList<>();
                    rows.forEach(row -> users.add(toUser(row)));
                    return users;
                });
    }

    private static Optional<User> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(toUser(iterator.next())) : Optional.empty();
    }

    private static User toUser(Row row) {
        return new User(row.getUUID("id"), row.getUUID("tenant_id"), Tier.fromWireName(row.getString("tier")),
                row.getString("email"), row.getString("display_name"), Role.fromWireName(row.getString("role")),
                row.getString("password_hash"), row.getOffsetDateTime("created_at"));
    }

    private static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    private static ProblemException emailTaken() {
        return new ProblemException(ProblemType.CONFLICT, "an account with this email already exists");
    }
}
