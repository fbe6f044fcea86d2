-- Documents, their chunks and the jobs that ingest them (issue 21).
-- btree_gin lets one GIN index hold the knowledge base with the words, so that a full-text search
-- reads one knowledge base's postings, not every tenant's.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- A document is known by its name within its knowledge base: uploading that name again replaces it.
-- `text` is what was extracted from the upload; chunks' offsets point into it (citations, parent passages).
CREATE TABLE documents (
    tenant_id         uuid        NOT NULL,
    knowledge_base_id uuid        NOT NULL,
    id                uuid        NOT NULL,
    name              text        NOT NULL,
    content_type      text        NOT NULL,
    bytes             bigint      NOT NULL,
    text_hash         text        NOT NULL,
    chunking          jsonb       NOT NULL,
    metadata          jsonb       NOT NULL,
    text              text        NOT NULL,
    chunk_count       integer     NOT NULL,
    job_id            uuid        NOT NULL,
    uploaded_at       timestamptz NOT NULL,
    created_by        text        NOT NULL,
    updated_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, knowledge_base_id, id),
    CONSTRAINT documents_name_key UNIQUE (tenant_id, knowledge_base_id, name),
    FOREIGN KEY (tenant_id, knowledge_base_id) REFERENCES knowledge_bases (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX documents_by_change ON documents (tenant_id, knowledge_base_id, updated_at DESC, id DESC);

-- A chunk: a span [start_offset, end_offset) of its document's text, the passage around it that a
-- search returns ([parent_start, parent_end), the chunk itself unless parent-child), its
-- document's metadata (for filters), and its embedding. `embedding` takes any dimension: one HNSW
-- index per dimension (below) covers the rows of that dimension. content_hash (SHA-256 of the
-- text) lets an upload reuse the embedding of a chunk the knowledge base has already.
CREATE TABLE chunks (
    tenant_id         uuid    NOT NULL,
    knowledge_base_id uuid    NOT NULL,
    document_id       uuid    NOT NULL,
    ordinal           integer NOT NULL,
    content           text    NOT NULL,
    content_hash      text    NOT NULL,
    start_offset      integer NOT NULL,
    end_offset        integer NOT NULL,
    parent_start      integer NOT NULL,
    parent_end        integer NOT NULL,
    metadata          jsonb   NOT NULL,
    dimension         integer NOT NULL,
    embedding         vector  NOT NULL,
    search            tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
    PRIMARY KEY (tenant_id, knowledge_base_id, document_id, ordinal),
    FOREIGN KEY (tenant_id, knowledge_base_id, document_id) REFERENCES documents (tenant_id, knowledge_base_id, id) ON DELETE CASCADE,
    CHECK (vector_dims(embedding) = dimension)
);
CREATE INDEX chunks_by_hash ON chunks (tenant_id, knowledge_base_id, content_hash);
CREATE INDEX chunks_text ON chunks USING gin (knowledge_base_id, search);
-- HNSW (cosine) for the dimensions of the models Weft knows; a knowledge base of another dimension
-- gets its index when it is created. Above 2,000 dimensions pgvector indexes half precision only.
CREATE INDEX chunks_embedding_384 ON chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE dimension = 384;
CREATE INDEX chunks_embedding_768 ON chunks USING hnsw ((embedding::vector(768)) vector_cosine_ops) WHERE dimension = 768;
CREATE INDEX chunks_embedding_1024 ON chunks USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WHERE dimension = 1024;
CREATE INDEX chunks_embedding_1536 ON chunks USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE dimension = 1536;
CREATE INDEX chunks_embedding_3072 ON chunks USING hnsw ((embedding::halfvec(3072)) halfvec_cosine_ops) WHERE dimension = 3072;

-- An upload's ingest: queued until a replica claims it (status running, owner, attempt), which
-- keeps it by renewing due_at (its lease); a queued job is published again at due_at, and a
-- running one whose lease ran out is queued again. The uploaded bytes wait in ingest_uploads
-- until the job ends.
CREATE TABLE ingest_jobs (
    tenant_id         uuid        NOT NULL,
    id                uuid        NOT NULL,
    knowledge_base_id uuid        NOT NULL,
    document_name     text        NOT NULL,
    content_type      text        NOT NULL,
    bytes             bigint      NOT NULL,
    metadata          jsonb       NOT NULL,
    status            text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'superseded')),
    attempts          integer     NOT NULL DEFAULT 0,
    owner             text,
    due_at            timestamptz,
    chunks            integer,
    embedded          integer     NOT NULL DEFAULT 0,
    reused            integer     NOT NULL DEFAULT 0,
    document_id       uuid,
    error_code        text,
    error_message     text,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, knowledge_base_id) REFERENCES knowledge_bases (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ingest_jobs_due ON ingest_jobs (due_at) WHERE status IN ('queued', 'running');
CREATE INDEX ingest_jobs_finished ON ingest_jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE ingest_uploads (
    tenant_id uuid  NOT NULL,
    job_id    uuid  NOT NULL,
    content   bytea NOT NULL,
    PRIMARY KEY (tenant_id, job_id),
    FOREIGN KEY (tenant_id, job_id) REFERENCES ingest_jobs (tenant_id, id) ON DELETE CASCADE
);
