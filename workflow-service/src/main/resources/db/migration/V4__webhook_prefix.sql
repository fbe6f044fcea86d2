-- A workflow's webhook addresses start with a random prefix of its own (/webhook/<prefix>/<path>):
-- unguessable, and stable across versions and activations. Existing workflows get one each.
ALTER TABLE workflows ADD COLUMN webhook_prefix text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX workflows_webhook_prefix ON workflows (webhook_prefix);
