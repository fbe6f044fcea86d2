-- Execution logs, the execution history, the audit trail and dead letters, all redacted before
-- they are written. Each table is partitioned by the tenant's tier (LIST), then by day (RANGE on
-- the row's time), so retention drops whole day partitions of a tier instead of deleting rows.
-- The tier partitions are made here; LogPartitions makes the day partitions as data needs them
-- (and a few days ahead) and LogRetention drops them. Primary keys hold the partition keys, as
-- PostgreSQL requires; a redelivered event carries the same time, so it lands on its own row and
-- is dropped.

-- The tier of each tenant, as last learned from the gateway (so a gateway outage does not stop ingest).
CREATE TABLE tenant_tiers (
    tenant_id  uuid        PRIMARY KEY,
    tier       text        NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    learned_at timestamptz NOT NULL DEFAULT now()
);

-- What a tenant masks besides secrets (secrets are always masked): personal-data categories.
CREATE TABLE redaction_policies (
    tenant_id     uuid        PRIMARY KEY,
    personal_data text[]      NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text
);

-- Every execution event: the execution's timeline.
CREATE TABLE execution_log (
    tier          text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    tenant_id     uuid        NOT NULL,
    execution_id  text        NOT NULL,
    workflow_id   text        NOT NULL,
    sequence      bigint      NOT NULL,
    event_type    text        NOT NULL,
    node_id       text,
    node_name     text,
    node_type     text,
    attempt       int,
    duration_ms   bigint,
    item_count    int,
    error_kind    text,
    error_message text,
    -- what else the event says (trigger, version, retry time, wait reason, error details, …), redacted
    facts         jsonb,
    -- console lines of the node's scripts, redacted
    console       jsonb,
    -- how many values of each category were masked (never the values)
    redacted      jsonb,
    PRIMARY KEY (tenant_id, execution_id, sequence, occurred_at, tier)
) PARTITION BY LIST (tier);
CREATE INDEX execution_log_nodes ON execution_log (tenant_id, occurred_at, workflow_id)
    WHERE event_type IN ('node.succeeded', 'node.failed');

-- One row per finished execution: the history and most insights.
CREATE TABLE execution_history (
    tier           text        NOT NULL,
    finished_at    timestamptz NOT NULL,
    tenant_id      uuid        NOT NULL,
    execution_id   text        NOT NULL,
    workflow_id    text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('succeeded', 'failed', 'cancelled')),
    started_at     timestamptz,
    duration_ms    bigint,
    failed_node_id text,
    error_kind     text,
    error_message  text,
    redacted       jsonb,
    PRIMARY KEY (tenant_id, execution_id, finished_at, tier)
) PARTITION BY LIST (tier);
CREATE INDEX execution_history_by_time ON execution_history (tenant_id, finished_at DESC, execution_id DESC);
CREATE INDEX execution_history_by_workflow ON execution_history (tenant_id, workflow_id, finished_at DESC, execution_id DESC);

-- Who did what to which object. Events without a tenant (e.g. a failed login for no known
-- account) are kept under the free tier's retention and shown to no tenant.
CREATE TABLE audit_log (
    tier        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    event_id    text        NOT NULL,
    tenant_id   uuid,
    actor_type  text,
    actor_id    text,
    action      text        NOT NULL,
    object_type text,
    object_id   text,
    outcome     text,
    source_ip   text,
    details     jsonb,
    redacted    jsonb,
    PRIMARY KEY (event_id, occurred_at, tier)
) PARTITION BY LIST (tier);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, occurred_at DESC, event_id DESC);

-- Executions and messages the executor could not process.
CREATE TABLE dead_letters (
    tier             text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    event_id         text        NOT NULL,
    tenant_id        uuid,
    execution_id     text,
    source_topic     text,
    source_partition int,
    source_offset    bigint,
    reason           text        NOT NULL,
    message          text,
    payload_preview  text,
    attempts         int,
    redacted         jsonb,
    PRIMARY KEY (event_id, occurred_at, tier)
) PARTITION BY LIST (tier);
CREATE INDEX dead_letters_by_execution ON dead_letters (tenant_id, execution_id);

DO $$
DECLARE
    t text;
    tier text;
BEGIN
    FOREACH t IN ARRAY ARRAY['execution_log', 'execution_history', 'audit_log', 'dead_letters'] LOOP
        FOREACH tier IN ARRAY ARRAY['free', 'pro', 'enterprise'] LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L) PARTITION BY RANGE (%I)',
                           t || '_' || tier, t, tier, CASE t WHEN 'execution_history' THEN 'finished_at' ELSE 'occurred_at' END);
        END LOOP;
    END LOOP;
END $$;
