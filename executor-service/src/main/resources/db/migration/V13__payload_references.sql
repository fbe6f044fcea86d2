-- Which executions refer to which payloads. A payload goes once no execution refers to it any more,
-- so payloads follow their executions' tier ages instead of the default maximum age. A reference is
-- written with each store (in the same statement) and copied when a retry takes over checkpoints; it
-- goes with its execution.
CREATE TABLE execution_payloads (
    execution_id text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    tenant_id    text NOT NULL,
    payload_id   text NOT NULL,
    PRIMARY KEY (execution_id, payload_id)
);
CREATE INDEX execution_payloads_by_payload ON execution_payloads (tenant_id, payload_id);

-- Payloads stored before references were kept have none, and neither have those an executor of the
-- previous version stores during a rolling deploy: they keep the default maximum age. The store of
-- this version sets it.
ALTER TABLE payloads ADD COLUMN referenced boolean NOT NULL DEFAULT false;
