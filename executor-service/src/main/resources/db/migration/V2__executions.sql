-- Executions this executor fleet has taken, and a checkpoint per finished node: what another
-- executor needs to resume an execution without running finished nodes again.
CREATE TABLE executions (
    id               text        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    workflow_id      text        NOT NULL,
    workflow_version integer     NOT NULL,
    plan_hash        text        NOT NULL,
    trigger_kind     text        NOT NULL,
    trigger_node_id  text,
    trigger_data     jsonb       NOT NULL,
    status           text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    -- The last event sequence a run may have used; a new run starts 1,000 above it.
    sequence         bigint      NOT NULL DEFAULT 0,
    lease_owner      text,
    lease_until      timestamptz,
    -- How many times an executor took it: more than one means it was resumed.
    runs             integer     NOT NULL DEFAULT 0,
    failed_node_id   text,
    error            jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX executions_running_leases ON executions (lease_until) WHERE status = 'running';

CREATE TABLE node_checkpoints (
    execution_id text        NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    node_id      text        NOT NULL,
    status       text        NOT NULL,
    attempt      integer     NOT NULL,
    output       jsonb,
    error        jsonb,
    duration_ns  bigint      NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, node_id)
);
