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

    /** Writes the rows; nothing it adds is counted twice when the same rows are written again. */
    Uni<Void> write(SqlConnection connection);
}
