-- The executions read model, built from weft.execution.events (and from the run requests this
-- service sends). Events carry a sequence that grows per execution: a row takes what an event
-- says only when the event is newer than what the row has seen, so duplicated and reordered
-- events leave it right.
CREATE TABLE executions (
    tenant_id        uuid        NOT NULL,
    id               text        NOT NULL,
    -- text: executions requested by other producers than this service may name workflows by any id
    workflow_id      text        NOT NULL,
    workflow_version integer,
    plan_hash        text,
    trigger_kind     text,
    -- queued | running | waiting | paused | succeeded | failed | cancelled
    status           text        NOT NULL,
    requested_by     text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    duration_ms      bigint,
    failed_node_id   text,
    error            jsonb,
    waiting          jsonb,
    output_preview   jsonb,
    last_sequence    bigint      NOT NULL DEFAULT 0,
    -- set when a user deletes the execution: the row stays without its data (a tombstone), so that a
    -- late duplicate of one of its events cannot bring it back
    deleted_at       timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- Listing is newest first, paged by (created_at, id), optionally per workflow and status.
CREATE INDEX executions_by_tenant_created ON executions (tenant_id, created_at DESC, id DESC);
CREATE INDEX executions_by_workflow_created ON executions (tenant_id, workflow_id, created_at DESC, id DESC);

CREATE TABLE execution_nodes (
    tenant_id      uuid        NOT NULL,
    execution_id   text        NOT NULL,
    node_id        text        NOT NULL,
    node_name      text,
    node_type      text,
    -- running | retrying | succeeded | failed
    status         text        NOT NULL,
    attempts       integer     NOT NULL DEFAULT 0,
    started_at     timestamptz,
    finished_at    timestamptz,
    duration_ms    bigint,
    item_count     integer,
    error          jsonb,
    output_preview jsonb,
    last_sequence  bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, execution_id, node_id),
    FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
