-- Idempotency-Key on manual runs and retries: the same key within 24 hours answers the same
-- execution. The key is written in the transaction that admits the run, so a key exists exactly
-- when its execution does (a refused run leaves no key; a run taken back, or pruned, takes its key
-- with it). The request is kept to send it again when the first answer was lost before it left.
CREATE TABLE idempotency_keys (
    tenant_id    uuid        NOT NULL,
    key          text        NOT NULL,
    -- what the key was first used for (operation, target, body), hashed: another request with it is refused
    fingerprint  bytea       NOT NULL,
    execution_id text        NOT NULL,
    request      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key),
    FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX idempotency_keys_by_execution ON idempotency_keys (tenant_id, execution_id);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
