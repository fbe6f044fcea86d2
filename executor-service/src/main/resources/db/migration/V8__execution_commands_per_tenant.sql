-- A command is kept per tenant and execution: another tenant's command for the same execution id
-- must neither take its place nor be read in its stead.
ALTER TABLE execution_commands DROP CONSTRAINT execution_commands_pkey;
ALTER TABLE execution_commands ADD PRIMARY KEY (tenant_id, execution_id);
