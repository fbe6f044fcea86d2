-- A knowledge base's chunks by metadata (jsonb containment), so that a selective filter finds its few
-- chunks directly and they are ranked exactly, instead of an HNSW scan wading through the many that
-- do not match (issue 21, search).
CREATE INDEX chunks_metadata ON chunks USING gin (knowledge_base_id, metadata jsonb_path_ops);
