package io.weft.credentials.manage;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import io.weft.credentials.crypto.Aead;
import io.weft.credentials.crypto.CredentialSealer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Credential rows; every query filters by tenant. */
@ApplicationScoped
public class CredentialStore {
    private static final String COLUMNS = "tenant_id, id, name, type, revision, data_key_version, nonce, ciphertext,"
            + " public_data::text AS public_data, secrets_set, status, created_by, updated_by, created_at, updated_at";

    private final Pool pool;

    CredentialStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(StoredCredential credential) {
        return pool.preparedQuery("""
                        INSERT INTO credentials (tenant_id, id, name, type, revision, data_key_version, nonce, ciphertext, public_data,
                                                 secrets_set, created_by, updated_by, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11, $12, $13, $13)""")
                .execute(Tuple.from(Arrays.asList(credential.tenantId(), credential.id(), credential.name(), credential.type(),
                        credential.revision(), credential.sealed().dataKeyVersion(), Buffer.buffer(credential.sealed().sealed().nonce()),
                        Buffer.buffer(credential.sealed().sealed().ciphertext()), WeftJson.withoutNul(credential.publicData().toString()),
                        credential.secretsSet().toArray(String[]::new), credential.createdBy(), credential.updatedBy(),
                        OffsetDateTime.ofInstant(credential.createdAt(), ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /** Writes a new revision, only over the one it was made from: false when someone else wrote first. */
    public Uni<Boolean> update(StoredCredential credential, int fromRevision) {
        return pool.preparedQuery("""
                        UPDATE credentials SET name = $3, revision = $4, data_key_version = $5, nonce = $6, ciphertext = $7,
                               public_data = $8::text::jsonb, secrets_set = $9, updated_by = $10, updated_at = $11, status = 'ok'
                        WHERE tenant_id = $1 AND id = $2 AND revision = $12""")
                .execute(Tuple.from(Arrays.asList(credential.tenantId(), credential.id(), credential.name(), credential.revision(),
                        credential.sealed().dataKeyVersion(), Buffer.buffer(credential.sealed().sealed().nonce()),
                        Buffer.buffer(credential.sealed().sealed().ciphertext()), WeftJson.withoutNul(credential.publicData().toString()),
                        credential.secretsSet().toArray(String[]::new), credential.updatedBy(),
                        OffsetDateTime.ofInstant(credential.updatedAt(), ZoneOffset.UTC), fromRevision)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<StoredCredential>> find(UUID tenant, UUID id) {
        return find(pool, tenant, id);
    }

    /** On a given client: a transaction's connection reads within its transaction. */
    public Uni<Optional<StoredCredential>> find(io.vertx.mutiny.sqlclient.SqlClient client, UUID tenant, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM credentials WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(credential(rows.iterator().next())));
    }

    /** Newest change first, after the cursor (updated_at, id) when given. */
    public Uni<List<StoredCredential>> list(UUID tenant, String type, Instant afterUpdatedAt, String afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM credentials WHERE tenant_id = $1");
        List<Object> parameters = new ArrayList<>(List.of(tenant));
        if (type != null) {
            parameters.add(type);
            sql.append(" AND type = $").append(parameters.size());
        }
        if (afterUpdatedAt != null) {
            parameters.add(OffsetDateTime.ofInstant(afterUpdatedAt, ZoneOffset.UTC));
            parameters.add(UUID.fromString(afterId));
            sql.append(" AND (updated_at, id) < ($").append(parameters.size() - 1).append(", $").append(parameters.size()).append(")");
        }
        parameters.add(limit);
        sql.append(" ORDER BY updated_at DESC, id DESC LIMIT $").append(parameters.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(parameters)).map(rows -> {
            List<StoredCredential> page = new ArrayList<>();
            rows.forEach(row -> page.add(credential(row)));
            return page;
        });
    }

    /** Id, type and status of those of the ids that exist in the tenant. */
    public record TypeOf(UUID id, String type, String status) {
    }

    public Uni<List<TypeOf>> types(UUID tenant, java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT id, type, status FROM credentials WHERE tenant_id = $1 AND id = ANY($2)")
                .execute(Tuple.of(tenant, ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<TypeOf> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new TypeOf(row.getUUID("id"), row.getString("type"), row.getString("status"))));
                    return found;
                });
    }

    public Uni<Boolean> delete(UUID tenant, UUID id) {
        return pool.preparedQuery("DELETE FROM credentials WHERE tenant_id = $1 AND id = $2").execute(Tuple.of(tenant, id))
                .map(rows -> rows.rowCount() == 1);
    }

    private static StoredCredential credential(Row row) {
        return new StoredCredential(row.getUUID("tenant_id"), row.getUUID("id"), row.getString("name"), row.getString("type"),
                row.getInteger("revision"),
                new CredentialSealer.SealedData(row.getInteger("data_key_version"),
                        new Aead.Sealed(row.getBuffer("nonce").getBytes(), row.getBuffer("ciphertext").getBytes())),
                read(row.getString("public_data")), List.of(row.getArrayOfStrings("secrets_set")), row.getString("status"),
                row.getString("created_by"), row.getString("updated_by"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return WeftJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("stored public data is unreadable", e);
        }
    }
}
