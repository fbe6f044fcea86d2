-- Conversation memory of AI agents (ai.memory.postgres): each session's messages, per tenant. A session
-- keeps its last 200 messages (a window never asks for more than 100), and goes once it has been idle
-- for its memory node's retention (every message of it has the same expiry, moved on with each exchange).
CREATE TABLE conversation_messages (
    tenant_id   text        NOT NULL,
    session_key text        NOT NULL,
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    role        text        NOT NULL CHECK (role IN ('user', 'assistant')),
    content     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, session_key, seq)
);
CREATE INDEX conversation_messages_expiry ON conversation_messages (expires_at);
