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

    /** Re-wraps every data key not under the current key; answers how many were re-wrapped. */
    public Uni<Integer> rewrapAll() {
        return rewrapBatch().chain(done -> done < BATCH ? Uni.createFrom().item(done) : rewrapAll().map(more -> done + more));
    }

    private Uni<Integer> rewrapBatch() {
        return pool.preparedQuery("SELECT tenant_id, version, kek_id, wrapped FROM data_keys WHERE kek_id <> $1 LIMIT $2")
                .execute(Tuple.of(kek.currentId(), BATCH))
                .chain(rows -> {
                    List<Row> stale = new ArrayList<>();
                    rows.forEach(stale::add);
                    if (stale.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Multi.createFrom().iterable(stale).onItem().transformToUniAndConcatenate(this::rewrap)
                            .collect().asList().map(done -> {
                                int count = (int) done.stream().filter(Boolean::booleanValue).count();
                                LOG.infof("re-wrapped %d data keys under %s", count, kek.currentId());
                                return count;
                            });
                });
    }

    /** Only over the row as read: a replica that re-wrapped it first wins, this one skips it. */
    private Uni<Boolean> rewrap(Row row) {
        UUID tenant = row.getUUID("tenant_id");
        int version = row.getInteger("version");
        String from = row.getString("kek_id");
        return kek.unwrap(tenant, from, row.getBuffer("wrapped").getBytes())
                .chain(key -> kek.wrap(tenant, key))
                .chain(wrapped -> pool.preparedQuery("UPDATE data_keys SET kek_id = $1, wrapped = $2, rewrapped_at = now()"
                                + " WHERE tenant_id = $3 AND version = $4 AND kek_id = $5")
                        .execute(Tuple.of(kek.currentId(), Buffer.buffer(wrapped), tenant, version, from)))
                .chain(updated -> updated.rowCount() == 0 ? Uni.createFrom().item(false)
                        : audit.record(AuditTrail.SELF, tenant, "data-key.rewrap", "data-key", String.valueOf(version),
                                        AuditEvent.Outcome.SUCCESS, AuditTrail.details("from", from, "to", kek.currentId()))
                                .onFailure().invoke(failure -> LOG.errorf("audit of re-wrapping data key %d of tenant %s was not published: %s",
                                        version, tenant, failure.getMessage()))
                                .onFailure().recoverWithNull()
                                .replaceWith(true));
    }
}
