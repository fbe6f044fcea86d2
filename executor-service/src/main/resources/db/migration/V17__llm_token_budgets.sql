-- The monthly language-model token budget a run's tier gives its tenant (from the run request; null:
-- no budget), kept on the execution so that a run resumed from its row is charged the same way.
ALTER TABLE executions ADD COLUMN llm_tokens_per_month bigint CHECK (llm_tokens_per_month >= 0);

-- Tokens each tenant's model calls used in a calendar month (UTC), shared by every executor: a call
-- reserves its estimate in one conditional statement before it asks the provider, and settles to what
-- the provider counted when it answers. budget: the one the last reservation was held to, for the
-- tenant's own view of its meter.
CREATE TABLE llm_token_meter (
    tenant_id text   NOT NULL,
    month     date   NOT NULL,
    used      bigint NOT NULL CHECK (used >= 0),
    budget    bigint NOT NULL,
    PRIMARY KEY (tenant_id, month)
);
