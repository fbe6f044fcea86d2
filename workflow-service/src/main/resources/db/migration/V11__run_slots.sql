-- Admission without a lock per tenant (issue 18). A tenant's concurrency limit L is L slot rows; a
-- workflow with a concurrency limit M has M more of its own. A run is admitted by claiming a free
-- slot with SKIP LOCKED, so concurrent admissions of one tenant never wait for each other: each takes
-- another free row or finds none (the limit holds because a row has one holder). Its execution keeps
-- the slot numbers, and a trigger frees them when it leaves queued/running (waits, ends, is deleted),
-- in the transaction that says so.
CREATE TABLE run_slots (
    tenant_id    uuid NOT NULL,
    -- '' for the tenant's own slots, else the workflow id
    scope        text NOT NULL,
    slot         integer NOT NULL,
    execution_id text,
    PRIMARY KEY (tenant_id, scope, slot)
) WITH (fillfactor = 50); -- room for HOT updates: a claim or a release changes no indexed column

ALTER TABLE executions ADD COLUMN slot integer, ADD COLUMN workflow_slot integer;

-- A free slot below p_limit, claimed for p_execution; null when every one is taken (or locked by a
-- claim or release under way, which counts as taken). The search starts at a random slot so that
-- concurrent claims seldom meet on one row. The rows are created the first time a limit needs them.
CREATE FUNCTION claim_slot(p_tenant uuid, p_scope text, p_limit integer, p_execution text)
    RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    start   integer := floor(random() * p_limit)::integer;
    claimed integer;
BEGIN
    IF p_limit < 1 THEN
        RETURN NULL;
    END IF;
    FOR attempt IN 1..2 LOOP
        UPDATE run_slots r SET execution_id = p_execution
         WHERE (r.tenant_id, r.scope, r.slot) = (
                   SELECT tenant_id, scope, slot FROM run_slots
                    WHERE tenant_id = p_tenant AND scope = p_scope AND slot >= start AND slot < p_limit AND execution_id IS NULL
                    ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
           AND r.execution_id IS NULL
        RETURNING r.slot INTO claimed;
        IF claimed IS NULL THEN
            UPDATE run_slots r SET execution_id = p_execution
             WHERE (r.tenant_id, r.scope, r.slot) = (
                       SELECT tenant_id, scope, slot FROM run_slots
                        WHERE tenant_id = p_tenant AND scope = p_scope AND slot < start AND execution_id IS NULL
                        ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
               AND r.execution_id IS NULL
            RETURNING r.slot INTO claimed;
        END IF;
        IF claimed IS NOT NULL THEN
            RETURN claimed;
        END IF;
        -- Every row exists once the last one does (they are created together).
        EXIT WHEN attempt = 2 OR EXISTS (SELECT 1 FROM run_slots WHERE tenant_id = p_tenant AND scope = p_scope AND slot = p_limit - 1);
        INSERT INTO run_slots (tenant_id, scope, slot) SELECT p_tenant, p_scope, n FROM generate_series(0, p_limit - 1) AS n
        ON CONFLICT DO NOTHING;
    END LOOP;
    RETURN NULL;
END
$$;

-- A slot for a run that is running again without an admission (resumed after a wait or a pause, or
-- heard of only through its events): it is never held back, so it takes any free slot, or a new one
-- past the others. While it holds a slot at or above the limit, admissions of its scope wait (below).
CREATE FUNCTION claim_any_slot(p_tenant uuid, p_scope text, p_execution text)
    RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    claimed integer;
BEGIN
    UPDATE run_slots r SET execution_id = p_execution
     WHERE (r.tenant_id, r.scope, r.slot) = (
               SELECT tenant_id, scope, slot FROM run_slots
                WHERE tenant_id = p_tenant AND scope = p_scope AND execution_id IS NULL
                ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
       AND r.execution_id IS NULL
    RETURNING r.slot INTO claimed;
    FOR attempt IN 1..10 LOOP
        EXIT WHEN claimed IS NOT NULL;
        INSERT INTO run_slots (tenant_id, scope, slot, execution_id)
        SELECT p_tenant, p_scope, coalesce(max(slot) + 1, 0), p_execution FROM run_slots WHERE tenant_id = p_tenant AND scope = p_scope
        ON CONFLICT DO NOTHING
        RETURNING slot INTO claimed;
    END LOOP;
    RETURN claimed;
END
$$;

CREATE FUNCTION free_slot(p_tenant uuid, p_scope text, p_slot integer, p_execution text)
    RETURNS void LANGUAGE sql VOLATILE AS $$
    UPDATE run_slots SET execution_id = NULL
     WHERE tenant_id = p_tenant AND scope = p_scope AND slot = p_slot AND execution_id = p_execution;
$$;

-- The slots a run needs to be queued now: one of its tenant's and, with a workflow limit, one of its
-- workflow's. Nothing is claimed when either is full, and a scope with a slot taken at or above its
-- limit (a resumed run beyond it, or runs admitted under a higher limit) counts as full until that
-- run lets go: the limit is never passed by an admission.
CREATE FUNCTION claim_run_slots(p_tenant uuid, p_execution text, p_workflow text, p_tenant_limit integer,
                                p_workflow_limit integer, OUT slot integer, OUT workflow_slot integer, OUT refusal text)
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    slot := claim_slot(p_tenant, '', p_tenant_limit, p_execution);
    IF slot IS NULL OR EXISTS (SELECT 1 FROM run_slots s WHERE s.tenant_id = p_tenant AND s.scope = ''
                                  AND s.slot >= p_tenant_limit AND s.execution_id IS NOT NULL) THEN
        PERFORM free_slot(p_tenant, '', slot, p_execution);
        slot := NULL;
        refusal := 'tenant-full';
        RETURN;
    END IF;
    IF p_workflow_limit IS NULL THEN
        RETURN;
    END IF;
    workflow_slot := claim_slot(p_tenant, p_workflow, p_workflow_limit, p_execution);
    IF workflow_slot IS NULL OR EXISTS (SELECT 1 FROM run_slots s WHERE s.tenant_id = p_tenant AND s.scope = p_workflow
                                           AND s.slot >= p_workflow_limit AND s.execution_id IS NOT NULL) THEN
        PERFORM free_slot(p_tenant, '', slot, p_execution);
        PERFORM free_slot(p_tenant, p_workflow, workflow_slot, p_execution);
        slot := NULL;
        workflow_slot := NULL;
        refusal := 'workflow-full';
    END IF;
END
$$;

-- Keeps the slots in step with the run's status, whichever statement changes it: the projection of
-- the executors' events, a held run's release, a withdrawal, retention, a deletion. The triggers'
-- WHEN clauses call it only when there is something to do (most updates of a running row change
-- nothing here, and an admitted row arrives with its slots).
CREATE FUNCTION executions_hold_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NOT (NEW.status IN ('queued', 'running') AND NEW.deleted_at IS NULL) THEN
        UPDATE run_slots SET execution_id = NULL
         WHERE tenant_id = OLD.tenant_id AND scope = '' AND slot = OLD.slot AND execution_id = OLD.id;
        IF OLD.workflow_slot IS NOT NULL THEN
            UPDATE run_slots SET execution_id = NULL
             WHERE tenant_id = OLD.tenant_id AND scope = OLD.workflow_id AND slot = OLD.workflow_slot AND execution_id = OLD.id;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        NEW.slot := NULL;
        NEW.workflow_slot := NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        -- running again without an admission (resumed)
        NEW.slot := claim_any_slot(NEW.tenant_id, '', NEW.id);
        IF EXISTS (SELECT 1 FROM run_slots WHERE tenant_id = NEW.tenant_id AND scope = NEW.workflow_id) THEN
            NEW.workflow_slot := claim_any_slot(NEW.tenant_id, NEW.workflow_id, NEW.id);
        END IF;
    ELSE
        -- Heard of only through its events. After the insert, not before: a BEFORE INSERT trigger
        -- also fires for an upsert's row that then conflicts, and would claim a slot no row records.
        UPDATE executions SET slot = claim_any_slot(NEW.tenant_id, '', NEW.id),
                              workflow_slot = CASE WHEN EXISTS (SELECT 1 FROM run_slots WHERE tenant_id = NEW.tenant_id AND scope = NEW.workflow_id)
                                                   THEN claim_any_slot(NEW.tenant_id, NEW.workflow_id, NEW.id) END
         WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER executions_hold_slots_on_change BEFORE UPDATE OF status, deleted_at ON executions FOR EACH ROW
    WHEN ((OLD.slot IS NOT NULL AND NOT (NEW.status IN ('queued', 'running') AND NEW.deleted_at IS NULL))
          OR (NEW.slot IS NULL AND NEW.status IN ('queued', 'running') AND NEW.deleted_at IS NULL))
    EXECUTE FUNCTION executions_hold_slots();
CREATE TRIGGER executions_hold_slots_on_insert AFTER INSERT ON executions FOR EACH ROW
    WHEN (NEW.slot IS NULL AND NEW.status IN ('queued', 'running') AND NEW.deleted_at IS NULL)
    EXECUTE FUNCTION executions_hold_slots();
CREATE TRIGGER executions_hold_slots_on_delete AFTER DELETE ON executions FOR EACH ROW
    WHEN (OLD.slot IS NOT NULL)
    EXECUTE FUNCTION executions_hold_slots();

-- Runs already queued or running take their slots (a workflow's too: whether it has a limit is in its
-- definition, which SQL does not read; slots of a workflow without one are never counted).
UPDATE executions SET slot = claim_any_slot(tenant_id, '', id), workflow_slot = claim_any_slot(tenant_id, workflow_id, id)
 WHERE status IN ('queued', 'running') AND deleted_at IS NULL;

DROP INDEX executions_running;

-- One admission decision in one statement: queued (the run's slots claimed and its row written
-- 'queued'; the caller sends the request next), pending (held in pending_runs), or refused.
-- Answers: queued | pending | workflow-full | tenant-full | held-full. Only held runs take the tenant's
-- lock (the one PendingRuns releases them under), so that the held-run cap is exact and a release
-- never misses a run being held.
DROP FUNCTION admit_run(uuid, text, text, integer, text, text, text, text, timestamptz, integer, integer, boolean, integer, jsonb);
CREATE FUNCTION admit_run(p_tenant uuid, p_execution text, p_workflow text, p_version integer, p_plan_hash text,
                          p_trigger text, p_requested_by text, p_retry_of text, p_created_at timestamptz,
                          p_tenant_limit integer, p_workflow_limit integer, p_queue boolean, p_held_limit integer,
                          p_request jsonb)
    RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    claimed  record;
    recorded integer;
BEGIN
    -- a new run never overtakes its workflow's held runs
    IF NOT EXISTS (SELECT 1 FROM pending_runs WHERE tenant_id = p_tenant AND workflow_id = p_workflow) THEN
        SELECT * INTO claimed FROM claim_run_slots(p_tenant, p_execution, p_workflow, p_tenant_limit, p_workflow_limit);
        IF claimed.refusal IS NULL THEN
            INSERT INTO executions (tenant_id, id, workflow_id, workflow_version, plan_hash, trigger_kind, status,
                                    requested_by, retry_of, created_at, slot, workflow_slot)
            VALUES (p_tenant, p_execution, p_workflow, p_version, p_plan_hash, p_trigger, 'queued', p_requested_by, p_retry_of,
                    p_created_at, claimed.slot, claimed.workflow_slot)
            ON CONFLICT (tenant_id, id) DO UPDATE SET retry_of = excluded.retry_of,
                requested_by = coalesce(executions.requested_by, excluded.requested_by)
            RETURNING slot INTO recorded;
            IF recorded IS DISTINCT FROM claimed.slot THEN -- the run was known already, with slots of its own
                PERFORM free_slot(p_tenant, '', claimed.slot, p_execution);
                PERFORM free_slot(p_tenant, p_workflow, claimed.workflow_slot, p_execution);
            END IF;
            -- A queued row is the read model's: the run itself becomes durable on Kafka.
            PERFORM set_config('synchronous_commit', 'off', true);
            RETURN 'queued';
        END IF;
        IF NOT p_queue THEN
            RETURN claimed.refusal;
        END IF;
    ELSIF NOT p_queue THEN
        RETURN 'workflow-full';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('weft-admission/' || p_tenant::text));
    IF (SELECT count(*) FROM pending_runs WHERE tenant_id = p_tenant) >= p_held_limit THEN
        RETURN 'held-full';
    END IF;
    INSERT INTO pending_runs (tenant_id, execution_id, workflow_id, run_limit, request)
    VALUES (p_tenant, p_execution, p_workflow, p_workflow_limit, p_request)
    ON CONFLICT DO NOTHING;
    INSERT INTO executions (tenant_id, id, workflow_id, workflow_version, plan_hash, trigger_kind, status,
                            requested_by, retry_of, created_at)
    VALUES (p_tenant, p_execution, p_workflow, p_version, p_plan_hash, p_trigger, 'pending', p_requested_by, p_retry_of,
            p_created_at)
    ON CONFLICT (tenant_id, id) DO NOTHING;
    RETURN 'pending';
END
$$;
