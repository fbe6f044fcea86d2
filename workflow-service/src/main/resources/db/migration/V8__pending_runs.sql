-- Runs held back by their workflow's concurrency limit (whenLimitReached: queue), released oldest
-- first as running ones finish. Their executions show as 'pending' until then.
CREATE TABLE pending_runs (
    tenant_id    uuid        NOT NULL,
    execution_id text        NOT NULL,
    workflow_id  text        NOT NULL,
    run_limit    integer     NOT NULL,
    request      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, execution_id)
);

CREATE INDEX pending_runs_by_workflow ON pending_runs (tenant_id, workflow_id, created_at);
