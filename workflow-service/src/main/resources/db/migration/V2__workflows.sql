-- Workflows and their immutable, numbered versions. Every row carries tenant_id and every query
-- filters on it; ids are random UUIDs, so another tenant's id simply is not found.
CREATE TABLE workflows (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    name             text        NOT NULL,
    tags             text[]      NOT NULL DEFAULT '{}',
    -- Bumped by every change; the ETag is derived from it (optimistic concurrency).
    revision         bigint      NOT NULL DEFAULT 1,
    current_version  integer     NOT NULL,
    active_version   integer,
    active_plan_hash text,
    activated_at     timestamptz,
    created_by       text        NOT NULL,
    updated_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((active_version IS NULL) = (active_plan_hash IS NULL))
);

-- Listing is newest change first, paged by (updated_at, id).
CREATE INDEX workflows_by_tenant_updated ON workflows (tenant_id, updated_at DESC, id DESC);
CREATE INDEX workflows_tags ON workflows USING gin (tags);

CREATE TABLE workflow_versions (
    workflow_id    uuid        NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    tenant_id      uuid        NOT NULL,
    version        integer     NOT NULL,
    definition     jsonb       NOT NULL,
    author         text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- compiled | failed | unchecked (the compiler could not be asked when it was saved)
    compile_status text        NOT NULL CHECK (compile_status IN ('compiled', 'failed', 'unchecked')),
    diagnostics    jsonb       NOT NULL DEFAULT '[]',
    restored_from  integer,
    PRIMARY KEY (workflow_id, version)
);
