-- Insights read node statistics (V4) now, not node events: the partial index on node events cost
-- every ingest batch an index write per node event and served no query.
DROP INDEX execution_log_nodes;
