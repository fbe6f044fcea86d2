-- Retention of the executor's own data: payloads remember when they were last stored (a payload is
-- stored again each time a node produces the same bytes), so that unused ones can be pruned.
ALTER TABLE payloads ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX payloads_stored ON payloads (stored_at);
CREATE INDEX executions_finished ON executions (finished_at) WHERE status IN ('succeeded', 'failed', 'cancelled');
