package io.weft.logs.partitions;

/** The partitioned tables: each is split by tier, then by day of {@link #timeColumn()}. */
public enum LogTable {
    EXECUTION_LOG("execution_log", "occurred_at"),
    EXECUTION_HISTORY("execution_history", "finished_at"),
    AUDIT_LOG("audit_log", "occurred_at"),
    DEAD_LETTERS("dead_letters", "occurred_at"),
    EXECUTION_STATS("execution_stats", "hour"),
    EXECUTION_STATS_DAILY("execution_stats_daily", "day"),
    NODE_STATS("node_stats", "day"),
    REDACTION_STATS("redaction_stats", "day");

    private final String tableName;
    private final String timeColumn;

    LogTable(String tableName, String timeColumn) {
        this.tableName = tableName;
        this.timeColumn = timeColumn;
    }

    public String tableName() {
        return tableName;
    }

    public String timeColumn() {
        return timeColumn;
    }
}
