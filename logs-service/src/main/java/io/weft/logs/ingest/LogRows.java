package io.weft.logs.ingest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.weft.logs.partitions.PartitionDay;
import io.weft.logs.redaction.RedactionCounts;
import java.util.List;

/** One Kafka batch as redacted rows, ready to be written in one transaction. */
interface LogRows {
    /** The day partitions the rows go to. */
    List<PartitionDay> days();

    /** What redaction masked in the rows, by category. */
    RedactionCounts redacted();

    boolean isEmpty();

    /**
     * Some rows may already be stored under another tier (their tenant's tier changed since a first
     * delivery): the write looks for them under every tier, which costs an index probe per tier and row.
     */
    void lookUnderEveryTier();

    /** Writes the rows; nothing it adds is counted twice when the same rows are written again. */
    Uni<Void> write(SqlConnection connection);

    /**
     * {@code insert} (a statement with one {@code ON CONFLICT DO NOTHING}) with {@code notStored}, a
     * condition on its rows {@code c}, added: for the batches that {@link #lookUnderEveryTier} asks for.
     */
    static String underEveryTier(String insert, String notStored) {
        String conflict = "ON CONFLICT DO NOTHING";
        int at = insert.indexOf(conflict);
        if (at < 0 || at != insert.lastIndexOf(conflict)) {
            throw new IllegalArgumentException("not an insert with one ON CONFLICT DO NOTHING: " + insert);
        }
        return insert.substring(0, at) + "WHERE " + notStored + "\n" + insert.substring(at);
    }
}
