-- The foreign key from idempotency_keys to executions cost every write of the executions projection
-- (several per run) a referential-integrity trigger: ~20 % of the synchronous webhook's throughput
-- on the benchmark (docs/benchmarks.md). A key now goes with its run by hand where a run is taken
-- back, and a key whose run was pruned answers that the run is gone.
ALTER TABLE idempotency_keys DROP CONSTRAINT IF EXISTS idempotency_keys_tenant_id_execution_id_fkey;
