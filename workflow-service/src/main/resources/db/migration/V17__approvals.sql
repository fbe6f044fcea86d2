-- Approval gates: a run waits at an Approval node until enough people approve, one rejects (or too
-- few are left to approve), or its time limit passes. Exactly one outcome: every change of status
-- is an UPDATE ... WHERE status = 'pending' under the row's lock. One approval per node of a run.
CREATE TABLE approvals (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL,
    execution_id text        NOT NULL,
    workflow_id  text        NOT NULL,
    node_id      text        NOT NULL,
    node_name    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'timed_out', 'cancelled')),
    message      text        NOT NULL,
    -- {"users": [...], "roles": [...]}: both empty, any editor, admin or owner (or a key with executions:approve)
    approvers    jsonb       NOT NULL,
    required     integer     NOT NULL CHECK (required BETWEEN 1 AND 20),
    allow_self   boolean     NOT NULL,
    requested_by text,
    form         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    decided_at   timestamptz,
    UNIQUE (tenant_id, execution_id, node_id)
);
CREATE INDEX approvals_by_tenant ON approvals (tenant_id, status, created_at DESC);

CREATE TABLE approval_decisions (
    approval_id uuid        NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
    decided_by  text        NOT NULL,
    decision    text        NOT NULL CHECK (decision IN ('approve', 'reject')),
    comment     text,
    form_values jsonb,
    decided_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (approval_id, decided_by)
);
