package io.weft.credentials.crypto;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants' data keys: created on a tenant's first credential, stored wrapped, unwrapped on use and
 * kept unwrapped in memory for a few minutes (so that Vault is not asked on every resolution).
 */
@ApplicationScoped
public class DataKeys {
    private static final long KEPT_NANOS = Duration.ofMinutes(5).toNanos();
    private static final int CACHED_KEYS = 10_000;

    /** A data key in the clear, with its version; never logged, never returned. */
    public record DataKey(int version, byte[] key) {
        @Override
        public String toString() {
            return "DataKey[version=" + version + "]";
        }
    }

    private record Cached(DataKey key, long at) {
    }

    private final Pool pool;
    private final KeyEncryptionKey kek;
    private final Map<String, Cached> unwrapped = new ConcurrentHashMap<>();

    DataKeys(Pool pool, KeyEncryptionKey kek) {
        this.pool = pool;
        this.kek = kek;
    }

    /** The tenant's newest data key, created (version 1) when it has none. */
    public Uni<DataKey> current(UUID tenant) {
        return pool.preparedQuery("SELECT version, kek_id, wrapped FROM data_keys WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1")
                .execute(Tuple.of(tenant))
                .chain(rows -> rows.rowCount() == 0 ? create(tenant) : open(tenant, rows.iterator().next()));
    }

    public Uni<DataKey> version(UUID tenant, int version) {
        Cached cached = unwrapped.get(tenant + "/" + version);
        if (cached != null && System.nanoTime() - cached.at() < KEPT_NANOS) {
            return Uni.createFrom().item(cached.key());
        }
        return pool.preparedQuery("SELECT version, kek_id, wrapped FROM data_keys WHERE tenant_id = $1 AND version = $2")
                .execute(Tuple.of(tenant, version))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new Aead.Unreadable("data key version " + version + " of the tenant is missing");
                    }
                    return open(tenant, rows.iterator().next());
                });
    }

    /** Two first credentials at once: both wrap a key, one is stored, both use the stored one. */
    private Uni<DataKey> create(UUID tenant) {
        byte[] key = Aead.newKey();
        return kek.wrap(tenant, key)
                .chain(wrapped -> pool.preparedQuery("INSERT INTO data_keys (tenant_id, version, kek_id, wrapped) VALUES ($1, 1, $2, $3)"
                                + " ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(tenant, kek.currentId(), io.vertx.core.buffer.Buffer.buffer(wrapped))))
                .chain(() -> version(tenant, 1));
    }

    private Uni<DataKey> open(UUID tenant, Row row) {
        int version = row.getInteger("version");
        Cached cached = unwrapped.get(tenant + "/" + version);
        if (cached != null && System.nanoTime() - cached.at() < KEPT_NANOS) {
            return Uni.createFrom().item(cached.key());
        }
        return kek.unwrap(tenant, row.getString("kek_id"), row.getBuffer("wrapped").getBytes()).map(key -> {
            DataKey dataKey = new DataKey(version, key);
            if (unwrapped.size() >= CACHED_KEYS) {
                unwrapped.clear();
            }
            unwrapped.put(tenant + "/" + version, new Cached(dataKey, System.nanoTime()));
            return dataKey;
        });
    }
}
