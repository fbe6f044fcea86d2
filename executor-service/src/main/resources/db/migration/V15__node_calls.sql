-- The calls a node makes while it runs (an AI agent's model and tool calls), each written when it
-- ends, under the execution's lease, so that the node's next attempt — a retry, or a run resumed on
-- another executor after a crash — replays them instead of calling again. They go with the execution.
CREATE TABLE node_calls (
    execution_id text        NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    node_id      text        NOT NULL,
    call_key     text        NOT NULL,
    result       jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, node_id, call_key)
);
