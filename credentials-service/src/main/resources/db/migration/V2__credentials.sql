-- Each tenant's data keys, stored only wrapped by a key-encryption key (kek_id names which), so that
-- a dump of this database alone reveals no secret. Rotation adds a version or re-wraps one.
CREATE TABLE data_keys (
    tenant_id  uuid        NOT NULL,
    version    integer     NOT NULL,
    kek_id     text        NOT NULL,
    wrapped    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    rewrapped_at timestamptz,
    PRIMARY KEY (tenant_id, version)
);

-- Credentials: the whole data encrypted with AES-256-GCM under the tenant's data key, bound to
-- (tenant, id, revision) by the associated data; the fields that are not secret also in clear for
-- listing. Every write bumps the revision and draws a fresh nonce.
CREATE TABLE credentials (
    tenant_id        uuid        NOT NULL,
    id               uuid        NOT NULL,
    name             text        NOT NULL,
    type             text        NOT NULL,
    revision         integer     NOT NULL,
    data_key_version integer     NOT NULL,
    nonce            bytea       NOT NULL,
    ciphertext       bytea       NOT NULL,
    public_data      jsonb       NOT NULL,
    secrets_set      text[]      NOT NULL DEFAULT '{}',
    -- ok | needs_reconnection (an OAuth2 refresh failed)
    status           text        NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_reconnection')),
    created_by       text        NOT NULL,
    updated_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, data_key_version) REFERENCES data_keys (tenant_id, version)
);

-- Listing is newest change first, paged by (updated_at, id).
CREATE INDEX credentials_by_tenant_updated ON credentials (tenant_id, updated_at DESC, id DESC);
