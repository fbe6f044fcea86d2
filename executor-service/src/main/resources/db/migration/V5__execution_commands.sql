-- Cancel, pause and resume (weft.execution.control). A command is kept in execution_commands
-- from the moment it arrives, even before any executor has taken the execution; the execution's
-- own row mirrors the pending command, so that the executor running it and the consumer of
-- commands agree on it under the row's lock.
ALTER TABLE executions DROP CONSTRAINT executions_status_check;
ALTER TABLE executions ADD CONSTRAINT executions_status_check
    CHECK (status IN ('running', 'paused', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE executions ADD COLUMN command text CHECK (command IN ('cancel', 'pause'));
ALTER TABLE executions ADD COLUMN requested_by text;

CREATE TABLE execution_commands (
    execution_id text        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    command      text        NOT NULL CHECK (command IN ('cancel', 'pause')),
    requested_by text,
    reason       text,
    requested_at timestamptz NOT NULL DEFAULT now()
);
