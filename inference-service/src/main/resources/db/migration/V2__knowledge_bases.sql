-- Knowledge bases (issue 21, first slice): per tenant, each with the embedding model its chunks are
-- made with (fixed at creation: vectors of different models are not comparable), how documents
-- are split and how it is searched by default. Documents, chunks and jobs come with later slices.
CREATE TABLE knowledge_bases (
    tenant_id          uuid        NOT NULL,
    id                 uuid        NOT NULL,
    name               text        NOT NULL,
    description        text,
    embedding_provider text        NOT NULL CHECK (embedding_provider IN ('local', 'openAi', 'gemini', 'ollama')),
    embedding_model    text        NOT NULL,
    dimension          integer     NOT NULL CHECK (dimension BETWEEN 1 AND 4000),
    credential_id      uuid,
    chunking           jsonb       NOT NULL,
    retrieval          jsonb       NOT NULL,
    revision           integer     NOT NULL,
    created_by         text        NOT NULL,
    updated_by         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT knowledge_bases_tenant_id_name_key UNIQUE (tenant_id, name),
    CHECK ((embedding_provider = 'local') = (credential_id IS NULL))
);

-- The list: a tenant's knowledge bases, newest change first, by keyset.
CREATE INDEX knowledge_bases_by_change ON knowledge_bases (tenant_id, updated_at DESC, id DESC);
