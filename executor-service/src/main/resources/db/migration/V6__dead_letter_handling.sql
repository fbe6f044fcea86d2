-- Dead letters are handled through /api/executor/dead-letters: redriven (sent again to their
-- topic) or discarded; both are kept for the record.
ALTER TABLE dead_letters ADD COLUMN status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'redriven', 'discarded'));
ALTER TABLE dead_letters ADD COLUMN handled_by text;
ALTER TABLE dead_letters ADD COLUMN handled_at timestamptz;
CREATE INDEX dead_letters_by_tenant ON dead_letters (tenant_id, created_at DESC, id DESC);

-- How many times an executor took the execution over from another whose lease had run out (that
-- executor crashed or stalled); past a limit the execution is a poison execution.
ALTER TABLE executions ADD COLUMN takeovers integer NOT NULL DEFAULT 0;
