-- Tenants' own node types: one row per type and version, immutable once written (a new version is a new
-- row). The descriptor is what the catalog shows; the code is the JavaScript the sandbox runs.
CREATE TABLE custom_node_types (
    tenant_id   text        NOT NULL,
    type        text        NOT NULL,
    version     integer     NOT NULL CHECK (version BETWEEN 1 AND 1000000),
    descriptor  jsonb       NOT NULL,
    code        text        NOT NULL,
    code_sha256 text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, type, version)
);
