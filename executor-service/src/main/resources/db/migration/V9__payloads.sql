-- Binary payloads and large node outputs, kept out of line: stored once per tenant under the
-- SHA-256 of their bytes, so that the same response passed through several nodes (or fetched by
-- several executions) is kept once, and referenced from items and checkpoints by that id.
CREATE TABLE payloads (
    tenant_id  text        NOT NULL,
    id         text        NOT NULL,
    size_bytes bigint      NOT NULL,
    content    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
