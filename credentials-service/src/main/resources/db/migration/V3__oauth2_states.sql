-- OAuth2 authorization-code flows under way: one row per started flow, found by the SHA-256 of its
-- state, used once, expired after a few minutes. The PKCE verifier is sealed like credential data.
CREATE TABLE oauth2_states (
    state_hash      text        PRIMARY KEY,
    tenant_id       uuid        NOT NULL,
    credential_id   uuid        NOT NULL,
    data_key_version integer    NOT NULL,
    nonce           bytea       NOT NULL,
    sealed_verifier bytea       NOT NULL,
    started_by      text        NOT NULL,
    expires_at      timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, credential_id) REFERENCES credentials (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX oauth2_states_expiry ON oauth2_states (expires_at);
