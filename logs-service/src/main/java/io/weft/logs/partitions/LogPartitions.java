package io.weft.logs.partitions;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Makes the day partitions rows need, before they are written, and says which exist. Making them
 * is DDL: it runs in a short transaction of its own (never inside an ingest batch's), under an
 * advisory lock so that replicas do not race, and what exists is remembered so that the usual
 * batch costs no statement at all.
 */
@ApplicationScoped
public class LogPartitions {
    private static final Logger LOG = Logger.getLogger(LogPartitions.class);
    /** Advisory lock key of partition DDL ("weftlogp"). */
    private static final long DDL_LOCK = 0x7765_6674_6c6f_6770L;

    private final Set<PartitionDay> made = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;
    private final Pool pool;

    /** The day partitions under the tier partitions of every {@link LogTable}. */
    private static final String EXISTING = """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname ~ '^(%s)_(free|pro|enterprise)$'""".formatted(
            java.util.Arrays.stream(LogTable.values()).map(LogTable::tableName).collect(java.util.stream.Collectors.joining("|")));

    LogPartitions(Pool pool) {
        this.pool = pool;
    }

    /** Makes those of the partitions that do not exist yet. */
    public Uni<Void> ensure(Collection<PartitionDay> days) {
        if (!loaded) {
            return existing().invoke(found -> {
                made.addAll(found);
                loaded = true;
            }).chain(() -> ensure(days));
        }
        List<PartitionDay> missing = days.stream().distinct().filter(day -> !made.contains(day)).toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(connection -> connection.query("SET LOCAL lock_timeout = '10s'").execute()
                        .chain(() -> connection.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(io.vertx.mutiny.sqlclient.Tuple.of(DDL_LOCK)))
                        .chain(() -> Multi.createFrom().iterable(missing)
                                .onItem().transformToUniAndConcatenate(day -> connection.query(day.createStatement()).execute())
                                .collect().last()))
                .invoke(() -> {
                    made.addAll(missing);
                    LOG.debugf("made partitions %s", missing);
                })
                .replaceWithVoid();
    }

    /** The day partitions that exist now. */
    public Uni<List<PartitionDay>> existing() {
        return pool.query(EXISTING)
                .execute()
                .map(rows -> {
                    List<PartitionDay> days = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        PartitionDay.parse(row.getString("relname")).ifPresent(days::add);
                    }
                    return days;
                });
    }

    /** Drops one day partition (retention); a lock it cannot get soon is given up and tried next time. */
    public Uni<Boolean> drop(PartitionDay day) {
        return pool.withTransaction(connection -> connection.query("SET LOCAL lock_timeout = '5s'").execute()
                        .chain(() -> connection.query("DROP TABLE IF EXISTS " + day.name()).execute()))
                .map(dropped -> {
                    made.remove(day);
                    return true;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not drop %s now, trying again later: %s", day.name(), failure.getMessage());
                    return false;
                });
    }
}
