-- executor-service's own database: run checkpoints, leases, custom node types and dead letters (ARCHITECTURE.md, "The fleet").
-- This baseline records ownership; each feature adds its tables in a later migration.
COMMENT ON SCHEMA public IS 'weft executor-service: run checkpoints, leases, custom node types and dead letters';
