-- workflow-service's own database: workflows, versions, the executions read model, approvals, schedules and chat threads (ARCHITECTURE.md, "The fleet").
-- This baseline records ownership; each feature adds its tables in a later migration.
COMMENT ON SCHEMA public IS 'weft workflow-service: workflows, versions, the executions read model, approvals, schedules and chat threads';
