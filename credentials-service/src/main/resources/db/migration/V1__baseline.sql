-- credentials-service's own database: encrypted credentials and tenant data keys (ARCHITECTURE.md, "The fleet").
-- This baseline records ownership; each feature adds its tables in a later migration.
COMMENT ON SCHEMA public IS 'weft credentials-service: encrypted credentials and tenant data keys';
