-- logs-service's own database: execution logs, the audit trail and statistics (ARCHITECTURE.md, "The fleet").
-- This baseline records ownership; each feature adds its tables in a later migration.
COMMENT ON SCHEMA public IS 'weft logs-service: execution logs, the audit trail and statistics';
