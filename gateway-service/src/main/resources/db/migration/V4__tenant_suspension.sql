-- Operators suspend and reactivate tenants (issue 19). A suspended tenant keeps its data; every
-- call of its users, keys and webhooks is refused until an operator reactivates it.
ALTER TABLE tenants
    ADD COLUMN suspended_at      timestamptz,
    ADD COLUMN suspension_reason text CHECK (length(suspension_reason) <= 500);
