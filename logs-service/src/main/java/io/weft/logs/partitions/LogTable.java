package io.weft.logs.partitions;

/** The partitioned tables: each is split by tier, then by UTC day of its time (see the migrations). */
public enum LogTable {
    EXECUTION_LOG("execution_log"),
    EXECUTION_HISTORY("execution_history"),
    AUDIT_LOG("audit_log"),
    DEAD_LETTERS("dead_letters"),
    EXECUTION_STATS("execution_stats"),
    EXECUTION_STATS_DAILY("execution_stats_daily"),
    NODE_STATS("node_stats"),
    REDACTION_STATS("redaction_stats"),
    TOKEN_STATS("token_stats");

    private final String tableName;

    LogTable(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }
}
