package io.weft.executor.nodes.custom;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.platform.net.OutboundAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tenants' own node types ({@code custom_node_types}, executor database): every statement names
 * the tenant, so one tenant's types are never another's. A version, once written, does not change.
 * Runnable types are kept for {@link #KEPT} per executor: a deleted version may still run here for
 * that long (a new one is seen at once).
 */
@ApplicationScoped
public class CustomNodeTypes {
    public static final String PREFIX = "custom.";
    static final Duration KEPT = Duration.ofMinutes(1);
    private static final int MOST_KEPT = 2000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One stored version; {@code code} is null in listings. */
    public record Stored(NodeTypeDescriptor descriptor, String code, String codeSha256, String createdBy, Instant createdAt) {
    }

    private record Kept(NodeType type, long until) {
    }

    private final Pool pool;
    private final OutboundHttp http;
    private final ConcurrentHashMap<String, Kept> runnable = new ConcurrentHashMap<>();

    @Inject
    CustomNodeTypes(Pool pool, @ConfigProperty(name = "weft.executor.http.allowed-networks") Optional<List<String>> allowedNetworks) {
        this(pool, new OutboundHttp(new OutboundAddresses(allowedNetworks.orElse(List.of()))));
    }

    public CustomNodeTypes(Pool pool, OutboundHttp http) {
        this.pool = pool;
        this.http = http;
    }

    public static boolean isCustom(String type) {
        return type != null && type.startsWith(PREFIX);
    }

    /** Writes a new version; false when the tenant has that version already (which is left as it is). */
    public boolean insert(String tenant, NodeTypeDescriptor descriptor, String code, String codeSha256, String createdBy) {
        return pool.preparedQuery("""
                        INSERT INTO custom_node_types (tenant_id, type, version, descriptor, code, code_sha256, created_by)
                        VALUES ($1, $2, $3, ($4::text)::jsonb, $5, $6, $7) ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(List.of(tenant, descriptor.type(), descriptor.version(), WeftJson.jsonb(descriptor), code, codeSha256,
                        createdBy)))
                .await().atMost(TIMEOUT).rowCount() == 1;
    }

    /** Every version of every type of the tenant, by type then version, without their code. */
    public List<Stored> list(String tenant) {
        List<Stored> found = new ArrayList<>();
        pool.preparedQuery("""
                        SELECT descriptor::text, NULL AS code, code_sha256, created_by, created_at FROM custom_node_types
                        WHERE tenant_id = $1 ORDER BY type, version""")
                .execute(Tuple.of(tenant)).await().atMost(TIMEOUT).forEach(row -> found.add(stored(row)));
        return found;
    }

    public Optional<Stored> find(String tenant, String type, int version) {
        for (Row row : pool.preparedQuery("""
                        SELECT descriptor::text, code, code_sha256, created_by, created_at FROM custom_node_types
                        WHERE tenant_id = $1 AND type = $2 AND version = $3""")
                .execute(Tuple.of(tenant, type, version)).await().atMost(TIMEOUT)) {
            return Optional.of(stored(row));
        }
        return Optional.empty();
    }

    public long count(String tenant) {
        return pool.preparedQuery("SELECT count(*) FROM custom_node_types WHERE tenant_id = $1")
                .execute(Tuple.of(tenant)).await().atMost(TIMEOUT).iterator().next().getLong(0);
    }

    public boolean delete(String tenant, String type, int version) {
        runnable.remove(key(tenant, type, version));
        return pool.preparedQuery("DELETE FROM custom_node_types WHERE tenant_id = $1 AND type = $2 AND version = $3")
                .execute(Tuple.of(tenant, type, version)).await().atMost(TIMEOUT).rowCount() == 1;
    }

    /** The tenant's version of a custom type, ready to run; empty when the tenant has no such version. */
    public Optional<NodeType> runnable(String tenant, String type, int version) {
        String key = key(tenant, type, version);
        long now = System.nanoTime();
        Kept kept = runnable.get(key);
        if (kept != null && now - kept.until() < 0) {
            return Optional.of(kept.type());
        }
        Optional<NodeType> found = find(tenant, type, version).map(stored -> new CustomNodeType(stored.descriptor(), stored.code(), http));
        if (found.isPresent()) {
            if (runnable.size() >= MOST_KEPT) {
                runnable.clear();
            }
            runnable.put(key, new Kept(found.get(), now + KEPT.toNanos()));
        } else {
            runnable.remove(key);
        }
        return found;
    }

    private static String key(String tenant, String type, int version) {
        return tenant + "\n" + type + "@" + version;
    }

    private static Stored stored(Row row) {
        NodeTypeDescriptor descriptor;
        try {
            descriptor = WeftJson.mapper().readValue(row.getString(0), NodeTypeDescriptor.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored custom node descriptor is unreadable", e);
        }
        OffsetDateTime created = row.getOffsetDateTime("created_at");
        return new Stored(descriptor, row.getString("code"), row.getString("code_sha256"), row.getString("created_by"), created.toInstant());
    }
}
