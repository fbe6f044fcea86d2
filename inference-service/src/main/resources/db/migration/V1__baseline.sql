-- inference-service's own database: documents, chunks and their embeddings (ARCHITECTURE.md, "The fleet").
-- This baseline records ownership; each feature adds its tables in a later migration.
-- pgvector is installed by deploy/local/infra.sh (or the platform's PostgreSQL); the extension
-- needs superuser rights to create, so infra creates it and this only insists that it exists.
CREATE EXTENSION IF NOT EXISTS vector;
COMMENT ON SCHEMA public IS 'weft inference-service: documents, chunks and their embeddings';
