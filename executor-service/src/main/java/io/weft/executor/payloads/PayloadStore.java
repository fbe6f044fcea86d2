package io.weft.executor.payloads;

import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.executor.engine.Payloads;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Payloads in the executor's database, content-addressed per tenant: the id is
 * {@code sha256-<hex of the bytes' SHA-256>}, so storing the same bytes twice keeps one row.
 * Payloads are not shared across tenants, so one tenant cannot learn from timing or ids what
 * another has stored.
 */
@ApplicationScoped
public class PayloadStore implements Payloads {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ID = Pattern.compile("sha256-[0-9a-f]{64}");

    private final Pool pool;

    PayloadStore(Pool pool) {
        this.pool = pool;
    }

    /** True for what {@link #store} can answer; anything else names no payload. */
    public static boolean wellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String idOf(byte[] bytes) {
        try {
            return "sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String store(String tenantId, String executionId, byte[] bytes) {
        String id = idOf(bytes);
        // Stored again: its time moves on under a row lock, and retention, which spares payloads stored within the
        // last hour, checks the time again once the lock is free, so it cannot take the payload between this and
        // the reference. A payload stored before references were kept stays on the age rule (referenced false).
        pool.preparedQuery("""
                        WITH referred AS (
                            INSERT INTO execution_payloads (execution_id, tenant_id, payload_id) VALUES ($5, $1, $2)
                            ON CONFLICT DO NOTHING)
                        INSERT INTO payloads (tenant_id, id, size_bytes, content, referenced) VALUES ($1, $2, $3, $4, true)
                        ON CONFLICT (tenant_id, id) DO UPDATE SET stored_at = now()""")
                .execute(Tuple.of(tenantId, id, (long) bytes.length, Buffer.buffer(bytes), executionId))
                .await().atMost(TIMEOUT);
        return id;
    }

    @Override
    public Optional<byte[]> read(String tenantId, String id) {
        if (!wellFormed(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(readAll(tenantId, java.util.List.of(id)).get(id));
    }

    /** The payloads of the tenant among {@code ids}; ids it does not have are absent from the answer. */
    public Map<String, byte[]> readAll(String tenantId, Collection<String> ids) {
        Map<String, byte[]> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        RowSet<Row> rows = pool.preparedQuery("SELECT id, content FROM payloads WHERE tenant_id = $1 AND id = ANY($2)")
                .execute(Tuple.of(tenantId, ids.toArray(String[]::new)))
                .await().atMost(TIMEOUT);
        rows.forEach(row -> found.put(row.getString("id"), row.getBuffer("content").getBytes()));
        return found;
    }
}
