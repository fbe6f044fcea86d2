-- How many runs stand above an execution that another run started (an agent's workflow tool), so
-- that a resumed run starts its own children one level deeper still; null for a top-level run.
ALTER TABLE executions ADD COLUMN call_depth integer;
