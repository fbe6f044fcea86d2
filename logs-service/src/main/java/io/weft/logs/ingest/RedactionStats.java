package io.weft.logs.ingest;

/** The statement part that counts what the rows an insert added had masked, per tenant, day and category. */
final class RedactionStats {
    /**
     * A data-modifying CTE over {@code added} (the insert's {@code RETURNING tier, occurred_at,
     * tenant_id, redacted}). Rows of no tenant are not counted: no tenant can ask for them.
     */
    static final String FROM_ADDED = """
            redactions AS (
                INSERT INTO redaction_stats AS r (tier, day, tenant_id, category, count)
                SELECT a.tier, date_bin('1 day', a.occurred_at, '2000-01-01 00:00:00+00'), a.tenant_id, c.key, sum(c.value::bigint)
                FROM added a CROSS JOIN LATERAL jsonb_each_text(a.redacted) c
                WHERE a.redacted IS NOT NULL AND a.tenant_id IS NOT NULL
                GROUP BY 1, 2, 3, 4 ORDER BY 3, 2, 4
                ON CONFLICT (tenant_id, day, category, tier) DO UPDATE SET count = r.count + excluded.count
            )""";

    private RedactionStats() {
    }
}
