package io.weft.credentials.crypto;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.AuditEvent;
import io.weft.credentials.audit.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Rotation of the key-encryption key without downtime: configure the new key as current and the old
 * one among the previous keys; every replica then re-wraps, a batch at a time, the data keys still
 * wrapped under another key. Credentials are not touched (their data keys do not change), and every
 * data key opens throughout — under the old key until it is re-wrapped, under the new one after.
 * Once nothing is left under the old key (the log says so), it can be removed from the configuration.
 */
@ApplicationScoped
public class KeyRotation {
    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    static final int BATCH = 100;

    private final Pool pool;
    private final KeyEncryptionKey kek;
    private final AuditTrail audit;

    KeyRotation(Pool pool, KeyEncryptionKey kek, AuditTrail audit) {
        this.pool = pool;
        this.kek = kek;
        this.audit = audit;
    }

    @Scheduled(every = "${weft.credentials.rotation.every:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return rewrapAll().onFailure().invoke(failure -> LOG.warnf("data keys could not be re-wrapped this time: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Re-wraps every data key not under the current key; answers how many were re-wrapped. A data key
     * that cannot be opened (its key-encryption key is not configured here) is logged and passed over.
     */
    public Uni<Integer> rewrapAll() {
        return rewrapAfter(null, 0, 0);
    }

    private Uni<Integer> rewrapAfter(Row last, int done, int skipped) {
        String after = last == null ? "" : " AND (tenant_id, version) > ($3, $4)";
        Tuple parameters = last == null ? Tuple.of(kek.currentId(), BATCH)
                : Tuple.of(kek.currentId(), BATCH, last.getUUID("tenant_id"), last.getInteger("version"));
        return pool.preparedQuery("SELECT tenant_id, version, kek_id, wrapped FROM data_keys WHERE kek_id <> $1" + after
                        + " ORDER BY tenant_id, version LIMIT $2")
                .execute(parameters)
                .chain(rows -> {
                    List<Row> stale = new ArrayList<>();
                    rows.forEach(stale::add);
                    if (stale.isEmpty()) {
                        return finished(done, skipped);
                    }
                    return Multi.createFrom().iterable(stale).onItem().transformToUniAndConcatenate(this::rewrap)
                            .collect().asList()
                            .chain(results -> {
                                int rewrapped = (int) results.stream().filter(Outcome.REWRAPPED::equals).count();
                                int unreadable = (int) results.stream().filter(Outcome.UNREADABLE::equals).count();
                                return stale.size() < BATCH ? finished(done + rewrapped, skipped + unreadable)
                                        : rewrapAfter(stale.get(stale.size() - 1), done + rewrapped, skipped + unreadable);
                            });
                });
    }

    private Uni<Integer> finished(int done, int skipped) {
        if (done + skipped > 0) {
            LOG.infof("re-wrapped %d data keys under %s; %d could not be opened here", done, kek.currentId(), skipped);
        }
        return Uni.createFrom().item(done);
    }

    /** What became of one data key. */
    private enum Outcome { REWRAPPED, REWRAPPED_ELSEWHERE, UNREADABLE }

    /** Only over the row as read: a replica that re-wrapped it first wins, this one skips it. */
    private Uni<Outcome> rewrap(Row row) {
        UUID tenant = row.getUUID("tenant_id");
        int version = row.getInteger("version");
        String from = row.getString("kek_id");
        return kek.unwrap(tenant, from, row.getBuffer("wrapped").getBytes())
                .onFailure(Aead.Unreadable.class).invoke(failure -> LOG.warnf("data key %d of tenant %s cannot be re-wrapped: %s",
                        version, tenant, failure.getMessage()))
                .onFailure(Aead.Unreadable.class).recoverWithItem(new byte[0])
                .chain(key -> key.length == 0 ? Uni.createFrom().item(Outcome.UNREADABLE) : rewrapped(tenant, version, from, key));
    }

    private Uni<Outcome> rewrapped(UUID tenant, int version, String from, byte[] key) {
        return kek.wrap(tenant, key)
                .chain(wrapped -> pool.preparedQuery("UPDATE data_keys SET kek_id = $1, wrapped = $2, rewrapped_at = now()"
                                + " WHERE tenant_id = $3 AND version = $4 AND kek_id = $5")
                        .execute(Tuple.of(kek.currentId(), Buffer.buffer(wrapped), tenant, version, from)))
                .chain(updated -> updated.rowCount() == 0 ? Uni.createFrom().item(Outcome.REWRAPPED_ELSEWHERE)
                        : audit.record(AuditTrail.SELF, tenant, "data-key.rewrap", "data-key", String.valueOf(version),
                                        AuditEvent.Outcome.SUCCESS, AuditTrail.details("from", from, "to", kek.currentId()))
                                .onFailure().invoke(failure -> LOG.errorf("audit of re-wrapping data key %d of tenant %s was not published: %s",
                                        version, tenant, failure.getMessage()))
                                .onFailure().recoverWithNull()
                                .replaceWith(Outcome.REWRAPPED));
    }
}
