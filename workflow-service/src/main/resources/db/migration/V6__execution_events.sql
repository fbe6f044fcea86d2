-- Every event of an execution as it came from the executor (the CloudEvent's data), kept so that a
-- stream can replay what a client missed (SSE Last-Event-ID). Written with the read model, in the
-- same transaction; removed with a deleted execution's data.
CREATE TABLE execution_events (
    tenant_id    uuid        NOT NULL,
    execution_id text        NOT NULL,
    sequence     bigint      NOT NULL,
    type         text        NOT NULL,
    data         jsonb       NOT NULL,
    occurred_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, execution_id, sequence),
    FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
