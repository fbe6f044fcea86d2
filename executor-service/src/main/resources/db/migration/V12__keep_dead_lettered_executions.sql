-- An execution with an open dead letter is kept whatever its age: a redrive resumes it from its
-- checkpoints. Retention probes this index for each candidate.
CREATE INDEX dead_letters_open_execution ON dead_letters (execution_id) WHERE status = 'open';
