-- The tokens of AI nodes' model calls per tenant, UTC day, workflow, provider and model: what the
-- node transitions' usage says, added once per stored transition (a redelivered event adds nothing).
CREATE TABLE token_stats (
    tier          text        NOT NULL,
    day           timestamptz NOT NULL,
    tenant_id     uuid        NOT NULL,
    workflow_id   text        NOT NULL,
    provider      text        NOT NULL,
    model         text        NOT NULL,
    input_tokens  bigint      NOT NULL,
    output_tokens bigint      NOT NULL,
    calls         bigint      NOT NULL,
    PRIMARY KEY (tenant_id, day, workflow_id, provider, model, tier)
) PARTITION BY LIST (tier);

DO $$
DECLARE
    tier_name text;
BEGIN
    FOREACH tier_name IN ARRAY ARRAY['free', 'pro', 'enterprise'] LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF token_stats FOR VALUES IN (%L) PARTITION BY RANGE (day)', 'token_stats_' || tier_name,
                       tier_name);
    END LOOP;
END $$;
