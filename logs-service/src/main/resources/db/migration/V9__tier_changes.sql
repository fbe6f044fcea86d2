-- When logs-service last saw a tenant's tier change. Rows are placed by tier, so an event stored before
-- the change and delivered again after it would land in another tier's partition: ingest looks for it
-- under every tier while redeliveries of events from before the change can still come (TenantTier).
ALTER TABLE tenant_tiers ADD COLUMN tier_changed_at timestamptz;
