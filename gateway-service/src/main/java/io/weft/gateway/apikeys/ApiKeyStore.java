package io.weft.gateway.apikeys;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** API keys in the gateway's database, always scoped by tenant except the lookup by hash. */
@ApplicationScoped
public class ApiKeyStore {
    private static final String COLUMNS = "k.id, k.tenant_id, k.created_by, k.name, k.prefix, k.scopes, k.expires_at, "
            + "k.last_used_at, k.revoked_at, k.created_at, t.tier";

    private final Pool pool;

    ApiKeyStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<ApiKey> create(UUID tenantId, UUID createdBy, String name, String prefix, byte[] hash, Set<Scope> scopes,
                              OffsetDateTime expiresAt) {
        UUID id = UUID.randomUUID();
        String[] scopeNames = scopes.stream().map(Scope::wireName).sorted().toArray(String[]::new);
        return pool.preparedQuery("""
                        INSERT INTO api_keys (id, tenant_id, created_by, name, prefix, key_hash, scopes, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(new Object[] {id, tenantId, createdBy, name, prefix, hash, scopeNames, expiresAt}))
                .chain(() -> find(tenantId, id).map(Optional::orElseThrow));
    }

    public Uni<Optional<ApiKey>> find(UUID tenantId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                        + " WHERE k.tenant_id = $1 AND k.id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(toKey(rows.iterator().next())));
    }

    public Uni<List<ApiKey>> list(UUID tenantId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                        + " WHERE k.tenant_id = $1 ORDER BY k.created_at, k.id LIMIT 1000")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<ApiKey> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(toKey(row)));
                    return keys;
                });
    }

    /** Revokes the key; false when the tenant has no such key. Revoking twice keeps the first time. */
    public Uni<Boolean> revoke(UUID tenantId, UUID id) {
        return pool.preparedQuery("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())"
                        + " WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<ApiKey>> findByHash(byte[] hash) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                        + " WHERE k.key_hash = $1")
                .execute(Tuple.of(hash))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(toKey(rows.iterator().next())));
    }

    public Uni<Void> touch(UUID id, OffsetDateTime usedAt) {
        return pool.preparedQuery("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, usedAt))
                .replaceWithVoid();
    }

    private static ApiKey toKey(Row row) {
        Set<Scope> scopes = Arrays.stream(row.getArrayOfStrings("scopes")).map(Scope::fromWireName)
                .collect(Collectors.toUnmodifiableSet());
        return new ApiKey(row.getUUID("id"), row.getUUID("tenant_id"), row.getUUID("created_by"), row.getString("name"),
                row.getString("prefix"), scopes, row.getOffsetDateTime("expires_at"), row.getOffsetDateTime("last_used_at"),
                row.getOffsetDateTime("revoked_at"), row.getOffsetDateTime("created_at"), row.getString("tier"));
    }
}
