-- Execution events leave with what they describe: each is written here in the transaction of the
-- checkpoint (or finish, park, pause, cancel) it describes, published after the commit, and deleted
-- once Kafka has it. Whatever an executor committed is therefore published at least once after any
-- crash: by the executor that takes the execution over (before its own events), or by any
-- executor's relay once the row is older than a grace period (finished executions nobody takes).
CREATE TABLE event_outbox (
    execution_id text        NOT NULL,
    sequence     bigint      NOT NULL,
    tenant_id    text        NOT NULL,
    -- the CloudEvents type and id, and the event's JSON as it goes on Kafka
    event_type   text        NOT NULL,
    event_id     text        NOT NULL,
    data         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, sequence)
);
CREATE INDEX event_outbox_age ON event_outbox (created_at);
