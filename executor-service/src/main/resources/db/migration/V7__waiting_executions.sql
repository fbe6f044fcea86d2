-- Executions parked by a Wait node: they hold no executor until resume_at, when the sweeper
-- of any executor takes them again. The node they wait at is checkpointed as WAITING with the
-- time it waits for, so that the wait is not started over when the execution resumes.
ALTER TABLE executions DROP CONSTRAINT executions_status_check;
ALTER TABLE executions ADD CONSTRAINT executions_status_check
    CHECK (status IN ('running', 'paused', 'waiting', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE executions ADD COLUMN resume_at timestamptz;
CREATE INDEX executions_due ON executions (resume_at) WHERE status = 'waiting';
ALTER TABLE node_checkpoints ADD COLUMN resume_at timestamptz;
