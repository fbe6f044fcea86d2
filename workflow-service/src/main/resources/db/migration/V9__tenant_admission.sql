-- Tenants' tiers, as the gateway's internal tokens last said. Webhook calls and schedule ticks carry no
-- token, so the tier is recorded whenever someone of the tenant activates or runs a workflow.
CREATE TABLE tenant_tiers (
    tenant_id  uuid        PRIMARY KEY,
    tier       text        NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Executions that hold (or wait for) an executor: counted per tenant and per workflow at every admission.
CREATE INDEX executions_running ON executions (tenant_id, workflow_id)
    WHERE status IN ('queued', 'running') AND deleted_at IS NULL;

-- A run held back only by its tenant's tier has no workflow limit.
ALTER TABLE pending_runs ALTER COLUMN run_limit DROP NOT NULL;
CREATE INDEX pending_runs_by_tenant ON pending_runs (tenant_id, created_at);

-- One admission decision in one statement, under a lock per tenant held only for its length: the run
-- is queued (its row written 'queued'; the caller sends the request next), held ('pending', in
-- pending_runs), or refused. Each query in a volatile function sees what committed before the lock.
-- Answers: queued | pending | workflow-full | tenant-full | held-full.
CREATE FUNCTION admit_run(p_tenant uuid, p_execution text, p_workflow text, p_version integer, p_plan_hash text,
                          p_trigger text, p_requested_by text, p_retry_of text, p_created_at timestamptz,
                          p_tenant_limit integer, p_workflow_limit integer, p_queue boolean, p_held_limit integer,
                          p_request jsonb)
    RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    tenant_running   bigint;
    workflow_running bigint := 0;
    workflow_held    boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('weft-admission/' || p_tenant::text));
    SELECT count(*) INTO tenant_running FROM executions
     WHERE tenant_id = p_tenant AND status IN ('queued', 'running') AND deleted_at IS NULL;
    IF p_workflow_limit IS NOT NULL THEN
        SELECT count(*) INTO workflow_running FROM executions
         WHERE tenant_id = p_tenant AND workflow_id = p_workflow AND status IN ('queued', 'running') AND deleted_at IS NULL;
    END IF;
    -- a new run never overtakes its workflow's held runs
    SELECT EXISTS (SELECT 1 FROM pending_runs WHERE tenant_id = p_tenant AND workflow_id = p_workflow) INTO workflow_held;

    IF tenant_running < p_tenant_limit AND (p_workflow_limit IS NULL OR workflow_running < p_workflow_limit)
            AND NOT workflow_held THEN
        INSERT INTO executions (tenant_id, id, workflow_id, workflow_version, plan_hash, trigger_kind, status,
                                requested_by, retry_of, created_at)
        VALUES (p_tenant, p_execution, p_workflow, p_version, p_plan_hash, p_trigger, 'queued', p_requested_by, p_retry_of,
                p_created_at)
        ON CONFLICT (tenant_id, id) DO UPDATE SET retry_of = excluded.retry_of,
            requested_by = coalesce(executions.requested_by, excluded.requested_by);
        RETURN 'queued';
    END IF;
    IF NOT p_queue THEN
        RETURN CASE WHEN p_workflow_limit IS NOT NULL AND workflow_running >= p_workflow_limit THEN 'workflow-full'
                    ELSE 'tenant-full' END;
    END IF;
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
