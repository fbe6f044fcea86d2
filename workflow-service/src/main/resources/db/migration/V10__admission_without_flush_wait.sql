-- admit_run held its tenant's lock until the commit's WAL flush, so a tenant's admissions queued
-- behind one fsync each (~4 ms here: ~200 runs/s per tenant at most). A queued run's row needs no
-- flush before the answer: the request's durability comes from Kafka, and a row lost in a crash is
-- recreated by the run's events. Held (pending) runs still wait for the flush.
CREATE OR REPLACE FUNCTION admit_run(p_tenant uuid, p_execution text, p_workflow text, p_version integer, p_plan_hash text,
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
        -- A queued row is the read model's: the run itself becomes durable on Kafka. Not waiting for
        -- the WAL flush releases the tenant's lock sooner (held runs, below, are flushed).
        PERFORM set_config('synchronous_commit', 'off', true);
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
