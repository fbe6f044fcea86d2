-- Hourly statistics for insights, so that a query over a week of a busy tenant reads thousands of
-- rows instead of millions. Each is a duration histogram: one row per hour, key and duration
-- bucket (DurationBuckets: bucket 0 is under 1 ms, bucket b >= 1 starts at 2^((b-1)/4) ms; -1 is
-- "no duration"). Rows are added in the same statement as the events they count, from the events
-- the insert actually added, so a redelivered event is never counted twice. Partitioned like the
-- other tables (tier, then day of the hour) and dropped with them.

CREATE TABLE execution_stats (
    tier        text        NOT NULL,
    hour        timestamptz NOT NULL,
    tenant_id   uuid        NOT NULL,
    workflow_id text        NOT NULL,
    status      text        NOT NULL,
    bucket      smallint    NOT NULL,
    runs        bigint      NOT NULL,
    PRIMARY KEY (tenant_id, hour, workflow_id, status, bucket, tier)
) PARTITION BY LIST (tier);

CREATE TABLE node_stats (
    tier        text        NOT NULL,
    hour        timestamptz NOT NULL,
    tenant_id   uuid        NOT NULL,
    workflow_id text        NOT NULL,
    node_id     text        NOT NULL,
    bucket      smallint    NOT NULL,
    runs        bigint      NOT NULL,
    failures    bigint      NOT NULL,
    node_name   text,
    PRIMARY KEY (tenant_id, hour, workflow_id, node_id, bucket, tier)
) PARTITION BY LIST (tier);

CREATE FUNCTION weft_duration_bucket(duration_ms bigint) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN duration_ms IS NULL THEN -1
                WHEN duration_ms < 1 THEN 0
                ELSE least(1 + floor(4 * log(2, duration_ms::numeric)), 32767)::smallint END;

DO $$
DECLARE
    t text;
    tier_name text;
    d record;
BEGIN
    FOREACH t IN ARRAY ARRAY['execution_stats', 'node_stats'] LOOP
        FOREACH tier_name IN ARRAY ARRAY['free', 'pro', 'enterprise'] LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L) PARTITION BY RANGE (hour)', t || '_' || tier_name, t,
                           tier_name);
        END LOOP;
    END LOOP;
    -- Day partitions for what is stored already, then its statistics.
    FOR d IN SELECT DISTINCT h.tier, (h.finished_at AT TIME ZONE 'UTC')::date AS day FROM execution_history h
             UNION SELECT DISTINCT l.tier, (l.occurred_at AT TIME ZONE 'UTC')::date FROM execution_log l LOOP
        FOREACH t IN ARRAY ARRAY['execution_stats', 'node_stats'] LOOP
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           t || '_' || d.tier || '_' || to_char(d.day, 'YYYYMMDD'), t || '_' || d.tier,
                           d.day::text || ' 00:00:00+00', (d.day + 1)::text || ' 00:00:00+00');
        END LOOP;
    END LOOP;
END $$;

INSERT INTO execution_stats (tier, hour, tenant_id, workflow_id, status, bucket, runs)
SELECT tier, date_bin('1 hour', finished_at, '2000-01-01 00:00:00+00'), tenant_id, workflow_id, status,
       weft_duration_bucket(duration_ms), count(*)
FROM execution_history GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO node_stats (tier, hour, tenant_id, workflow_id, node_id, bucket, runs, failures, node_name)
SELECT tier, date_bin('1 hour', occurred_at, '2000-01-01 00:00:00+00'), tenant_id, workflow_id, node_id,
       weft_duration_bucket(duration_ms), count(*), count(*) FILTER (WHERE event_type = 'node.failed'), max(node_name)
FROM execution_log WHERE event_type IN ('node.succeeded', 'node.failed') AND node_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
