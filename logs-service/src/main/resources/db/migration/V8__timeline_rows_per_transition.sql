-- Contract v2: one event carries several node transitions (NodesProgressed, and the last checkpoint's
-- transitions on an execution's end event). Each transition is a timeline row of its own, so a row is
-- (sequence, part): the event's transitions are parts 0..n-1 in their order, the event itself part n.
ALTER TABLE execution_log ADD COLUMN part int NOT NULL DEFAULT 0;
ALTER TABLE execution_log DROP CONSTRAINT execution_log_pkey;
ALTER TABLE execution_log ADD PRIMARY KEY (tenant_id, execution_id, sequence, part, occurred_at, tier);
