-- Retention by tier: each execution carries how many days it is kept after it finishes (from its run
-- request: the tenant's tier), and prune_after is set whenever it finishes, so that pruning reads an
-- index. Executions without retain_days (requested before this) keep the executor's default age.
ALTER TABLE executions ADD COLUMN retain_days integer CHECK (retain_days > 0);
ALTER TABLE executions ADD COLUMN prune_after timestamptz;

CREATE FUNCTION executions_prune_after() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.prune_after := CASE WHEN NEW.finished_at IS NULL OR NEW.retain_days IS NULL THEN NULL
                            ELSE NEW.finished_at + make_interval(days => NEW.retain_days) END;
    RETURN NEW;
END $$;

CREATE TRIGGER executions_prune_after BEFORE INSERT OR UPDATE OF finished_at, retain_days ON executions
    FOR EACH ROW EXECUTE FUNCTION executions_prune_after();

CREATE INDEX executions_prune_after ON executions (prune_after) WHERE prune_after IS NOT NULL;

-- Handled dead letters (redriven or discarded) go after the executor's default age; open ones stay.
CREATE INDEX dead_letters_handled ON dead_letters (handled_at) WHERE status <> 'open';
