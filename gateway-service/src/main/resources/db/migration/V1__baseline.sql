-- gateway-service's own database: tenants, users, refresh tokens and API keys (ARCHITECTURE.md, "The fleet").
-- This baseline records ownership; each feature adds its tables in a later migration.
COMMENT ON SCHEMA public IS 'weft gateway-service: tenants, users, refresh tokens and API keys';
