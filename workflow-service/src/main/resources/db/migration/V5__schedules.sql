-- The Schedule Triggers of activated versions, with when each fires next. A row fires only while
-- its version is the workflow's active one (the poller joins on workflows.active_version), so
-- deactivating or activating another version needs no clean-up to take effect. Pollers of every
-- workflow-service replica claim due rows with FOR UPDATE SKIP LOCKED: each tick fires once.
CREATE TABLE schedules (
    workflow_id  uuid        NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    version      integer     NOT NULL,
    node_id      text        NOT NULL,
    tenant_id    uuid        NOT NULL,
    plan_hash    text        NOT NULL,
    cron         text        NOT NULL,
    timezone     text        NOT NULL,
    -- skip | runOnce: what a tick missed while no replica ran does
    when_missed  text        NOT NULL,
    next_fire_at timestamptz NOT NULL,
    PRIMARY KEY (workflow_id, version, node_id)
);

CREATE INDEX schedules_due ON schedules (next_fire_at);
