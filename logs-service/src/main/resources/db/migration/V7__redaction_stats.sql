-- How many values of each category were masked, per tenant and UTC day (never the values), for
-- GET /api/logs/redactions. Counted from the rows an insert actually added, so a redelivered event
-- is not counted twice; partitioned and dropped like the rest.
CREATE TABLE redaction_stats (
    tier      text        NOT NULL,
    day       timestamptz NOT NULL,
    tenant_id uuid        NOT NULL,
    category  text        NOT NULL,
    count     bigint      NOT NULL,
    PRIMARY KEY (tenant_id, day, category, tier)
) PARTITION BY LIST (tier);

DO $$
DECLARE
    tier_name text;
BEGIN
    FOREACH tier_name IN ARRAY ARRAY['free', 'pro', 'enterprise'] LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF redaction_stats FOR VALUES IN (%L) PARTITION BY RANGE (day)',
                       'redaction_stats_' || tier_name, tier_name);
    END LOOP;
END $$;
