-- The gateway's operators suspend tenants (issue 19): nothing starts for a suspended tenant, webhooks
-- included. What the gateway last said is kept here, for when it cannot be asked.
ALTER TABLE tenant_tiers ADD COLUMN suspended boolean NOT NULL DEFAULT false;
