-- Tenants, their users, and refresh-token families (issue 3, identity).

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tier        text        NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An email belongs to one account across all tenants, so login needs no tenant name.
CREATE TABLE users (
    id             uuid PRIMARY KEY,
    tenant_id      uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email          text        NOT NULL CHECK (email = lower(email)),
    display_name   text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_unique UNIQUE (email)
);
CREATE INDEX users_tenant_idx ON users (tenant_id, created_at);

-- Rotating refresh tokens. Only a SHA-256 of each token is stored. Every login starts a family;
-- each refresh spends one token and adds its successor; presenting a spent token revokes the family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    family_id   uuid        NOT NULL,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  bytea       NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    spent_at    timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expiry_idx ON refresh_tokens (expires_at);
