-- Messages and executions the executor could not process, kept with the reason for inspection and redrive.
CREATE TABLE dead_letters (
    id               text        PRIMARY KEY,
    tenant_id        text,
    execution_id     text,
    source_topic     text        NOT NULL,
    source_partition integer     NOT NULL,
    source_offset    bigint      NOT NULL,
    reason           text        NOT NULL,
    message          text        NOT NULL,
    -- The original record, so that it can be redriven or examined (values over 1 MB are cut).
    payload          bytea,
    headers          jsonb       NOT NULL DEFAULT '{}',
    attempts         integer     NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_topic, source_partition, source_offset)
);
