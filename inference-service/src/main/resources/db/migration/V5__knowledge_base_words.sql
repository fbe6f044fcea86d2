-- How many of a knowledge base's chunks hold each word: a text search leaves out a word found in
-- more than 1,000 chunks when rarer ones are asked, and counting a common word's postings in the
-- GIN index at every search cost most of a text search's time (a bitmap of the whole posting list
-- is built before any limit applies). The counts are kept by triggers on chunks, so that every way
-- chunks come and go (a document written or replaced, a document or knowledge base deleted, by
-- cascade) keeps them right in the same transaction. Each statement applies its words in one
-- sorted upsert, so that concurrent writers of one knowledge base take the rows' locks in the same
-- order. A word no chunk holds any more keeps its row, at 0.
CREATE TABLE knowledge_base_words (
    tenant_id         uuid    NOT NULL,
    knowledge_base_id uuid    NOT NULL,
    word              text    NOT NULL,
    chunks            integer NOT NULL,
    PRIMARY KEY (tenant_id, knowledge_base_id, word),
    FOREIGN KEY (tenant_id, knowledge_base_id) REFERENCES knowledge_bases (tenant_id, id) ON DELETE CASCADE
);

CREATE FUNCTION count_chunk_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO knowledge_base_words AS w (tenant_id, knowledge_base_id, word, chunks)
        SELECT c.tenant_id, c.knowledge_base_id, t.lexeme, count(*)
        FROM added c, unnest(c.search) AS t
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (tenant_id, knowledge_base_id, word) DO UPDATE SET chunks = w.chunks + EXCLUDED.chunks;
    ELSE
        INSERT INTO knowledge_base_words AS w (tenant_id, knowledge_base_id, word, chunks)
        SELECT c.tenant_id, c.knowledge_base_id, t.lexeme, -count(*)
        FROM removed c, unnest(c.search) AS t
        -- a knowledge base being deleted takes its words with it (the cascade); its chunks have nothing to count down
        WHERE EXISTS (SELECT 1 FROM knowledge_bases k WHERE k.tenant_id = c.tenant_id AND k.id = c.knowledge_base_id)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (tenant_id, knowledge_base_id, word) DO UPDATE SET chunks = w.chunks + EXCLUDED.chunks;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER chunks_words_added AFTER INSERT ON chunks REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION count_chunk_words();
CREATE TRIGGER chunks_words_removed AFTER DELETE ON chunks REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION count_chunk_words();

INSERT INTO knowledge_base_words (tenant_id, knowledge_base_id, word, chunks)
SELECT c.tenant_id, c.knowledge_base_id, t.lexeme, count(*)
FROM chunks c, unnest(c.search) AS t
GROUP BY 1, 2, 3;
