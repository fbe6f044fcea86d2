package io.weft.inference.retrieval;

import com.fasterxml.jackson.core.type.TypeReference;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.knowledge.VectorIndexes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The queries of a search, each restricted to the tenant and knowledge base in its SQL: the
 * nearest chunks by cosine distance (HNSW with pgvector's iterative scan, so that a filter that
 * drops most candidates still yields k; an exact scan when it did not), the best full-text
 * matches (GIN), and the found chunks' text, passages and similarity.
 */
@ApplicationScoped
public class ChunkSearch {
    /**
     * pgvector's candidate list: 200 at least (its default of 40 gave a recall@10 of 0.75 on clustered
     * data, 100 gave 0.93, 200 gives 0.98 within the 20 ms p95 at 100k chunks; docs/benchmarks.md), and
     * at least as many as asked for.
     */
    static final int MIN_EF_SEARCH = 200;
    static final int MAX_EF_SEARCH = 1_000;
    /** Up to this many chunks passing a search's conditions are ranked exactly: a few milliseconds. */
    static final int EXACT_UP_TO = 5_000;
    /** A word in more chunks than this is common: left out of a text search that asks for rarer ones too. */
    static final int COMMON_WORD_CHUNKS = 1_000;
    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() {
    };

    /** A chunk's key within the knowledge base. */
    public record ChunkKey(UUID documentId, int ordinal) {
    }

    /** A found chunk's content, for the answer. */
    public record Found(ChunkKey key, String documentName, String content, int start, int end, int parentStart, int parentEnd,
                        String passage, Double similarity, Map<String, Object> metadata) {
    }

    private final Pool pool;

    ChunkSearch(Pool pool) {
        this.pool = pool;
    }

    /**
     * The {@code limit} chunks nearest to {@code vector} (pgvector's text form), nearest first. When at
     * most {@link #EXACT_UP_TO} chunks pass the knowledge base and the filter, they are all ranked
     * exactly (the GIN index of metadata, or the primary key, finds them): an HNSW scan would wade
     * through the other tenants' and knowledge bases' nearest chunks first. Else the HNSW index with
     * pgvector's iterative scan, and an exact scan if even that gave up before {@code limit}.
     */
    public Uni<List<ChunkKey>> nearest(UUID tenant, UUID knowledgeBase, int dimension, String vector, MetadataFilter filter, int limit) {
        String cast = VectorIndexes.cast(dimension);
        String distance = "embedding::" + cast + " <=> $3::" + cast;
        String select = "SELECT document_id, ordinal, %s AS distance FROM chunks WHERE tenant_id = $1 AND knowledge_base_id = $2"
                + " AND dimension = $4" + filter.sql(6) + " ORDER BY %s LIMIT $5";
        // "+ 0" keeps the HNSW index out of an exact ranking.
        String exact = select.formatted(distance, "(" + distance + ") + 0");
        Tuple parameters = parameters(Arrays.asList(tenant, knowledgeBase, vector, dimension, limit), filter);
        Tuple counting = parameters(Arrays.asList(tenant, knowledgeBase), filter);
        int efSearch = Math.min(MAX_EF_SEARCH, Math.max(MIN_EF_SEARCH, limit));
        // Chunks carry their document's metadata, so the documents that pass the filter say how many chunks do, at once.
        return pool.withTransaction(connection -> connection.preparedQuery("SELECT coalesce(sum(chunk_count), 0) AS passing FROM documents"
                        + " WHERE tenant_id = $1 AND knowledge_base_id = $2" + filter.sql(3)).execute(counting)
                .chain(counted -> {
                    if (counted.iterator().next().getLong("passing") <= EXACT_UP_TO) {
                        // The planner cannot tell how few chunks a jsonb filter keeps, and would read the whole table; they are
                        // few, and the indexes of (knowledge base, metadata) and of the knowledge base find them.
                        return connection.query("SET LOCAL enable_seqscan = off").execute()
                                .chain(() -> connection.preparedQuery(exact).execute(parameters)).map(ChunkSearch::keys);
                    }
                    return settings(connection, efSearch)
                            // relaxed_order lets the index scan go on past candidates the filter drops; the outer ORDER BY puts the
                            // few it returns slightly out of order back in order.
                            .chain(() -> connection.preparedQuery("WITH nearest AS MATERIALIZED (" + select.formatted(distance, distance)
                                    + ") SELECT document_id, ordinal FROM nearest ORDER BY distance").execute(parameters))
                            .chain(rows -> {
                                List<ChunkKey> found = keys(rows);
                                return found.size() >= limit ? Uni.createFrom().item(found)
                                        : connection.preparedQuery(exact).execute(parameters).map(ChunkSearch::keys);
                            });
                }));
    }

    /**
     * The {@code limit} chunks that match the words best ({@link TextQuery}: any of them), best first.
     * A word found in more than {@link #COMMON_WORD_CHUNKS} of the knowledge base's chunks is left out when
     * a rarer one is asked too — it says little about which chunk answers, and ranking every chunk
     * that holds it is what makes a full-text search slow.
     */
    public Uni<List<ChunkKey>> matching(UUID tenant, UUID knowledgeBase, List<String> words, MetadataFilter filter, int limit) {
        if (words.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("""
                        SELECT q.word, coalesce(w.chunks, 0) AS chunks
                        FROM unnest($3::text[]) AS q(word)
                        LEFT JOIN knowledge_base_words w ON w.tenant_id = $1 AND w.knowledge_base_id = $2 AND w.word = q.word""")
                .execute(Tuple.of(tenant, knowledgeBase, words.toArray(String[]::new)))
                .chain(counted -> {
                    List<String> rare = new ArrayList<>();
                    counted.forEach(row -> {
                        if (row.getLong("chunks") > 0 && row.getLong("chunks") <= COMMON_WORD_CHUNKS) {
                            rare.add(row.getString("word"));
                        }
                    });
                    String query = String.join(" | ", rare.isEmpty() ? words : rare);
                    return pool.preparedQuery("SELECT document_id, ordinal FROM chunks, to_tsquery('simple', $3) query"
                                    + " WHERE tenant_id = $1 AND knowledge_base_id = $2 AND search @@ query" + filter.sql(5)
                                    + " ORDER BY ts_rank_cd(search, query) DESC, document_id, ordinal LIMIT $4")
                            .execute(parameters(Arrays.asList(tenant, knowledgeBase, query, limit), filter))
                            .map(ChunkSearch::keys);
                });
    }

    /** The chunks' content, in the order of {@code keys}, with their similarity to {@code vector} when one is given. */
    public Uni<List<Found>> content(UUID tenant, UUID knowledgeBase, List<ChunkKey> keys, int dimension, String vector) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String cast = VectorIndexes.cast(dimension);
        String similarity = vector == null ? "NULL::float8" : "1 - (c.embedding::" + cast + " <=> $5::" + cast + ")";
        List<Object> values = new ArrayList<>(Arrays.asList(tenant, knowledgeBase, keys.stream().map(ChunkKey::documentId).toArray(UUID[]::new),
                keys.stream().map(ChunkKey::ordinal).toArray(Integer[]::new)));
        if (vector != null) {
            values.add(vector);
        }
        return pool.preparedQuery("""
                        SELECT c.document_id, c.ordinal, d.name, c.content, c.start_offset, c.end_offset, c.parent_start, c.parent_end,
                               CASE WHEN c.parent_start <> c.start_offset OR c.parent_end <> c.end_offset
                                    THEN substring(d.text FROM c.parent_start + 1 FOR c.parent_end - c.parent_start) END AS passage,
                               %s AS similarity, c.metadata::text AS metadata
                        FROM chunks c JOIN documents d ON d.tenant_id = c.tenant_id AND d.knowledge_base_id = c.knowledge_base_id
                                                       AND d.id = c.document_id
                        WHERE c.tenant_id = $1 AND c.knowledge_base_id = $2
                          AND (c.document_id, c.ordinal) IN (SELECT * FROM unnest($3::uuid[], $4::int[]))""".formatted(similarity))
                .execute(Tuple.from(values))
                .map(rows -> {
                    Map<ChunkKey, Found> found = new HashMap<>();
                    rows.forEach(row -> {
                        Found chunk = found(row);
                        found.put(chunk.key(), chunk);
                    });
                    // A chunk replaced between the ranking and this read is left out rather than shown with another's text.
                    return keys.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
                });
    }

    private static Uni<Void> settings(SqlConnection connection, int efSearch) {
        return connection.query("SET LOCAL hnsw.iterative_scan = relaxed_order").execute()
                .chain(() -> connection.query("SET LOCAL hnsw.ef_search = " + efSearch).execute())
                .replaceWithVoid();
    }

    private static Tuple parameters(List<Object> first, MetadataFilter filter) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(filter.parameters());
        return Tuple.from(all);
    }

    private static List<ChunkKey> keys(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<ChunkKey> keys = new ArrayList<>();
        rows.forEach(row -> keys.add(new ChunkKey(row.getUUID("document_id"), row.getInteger("ordinal"))));
        return keys;
    }

    private static Found found(Row row) {
        try {
            return new Found(new ChunkKey(row.getUUID("document_id"), row.getInteger("ordinal")), row.getString("name"),
                    row.getString("content"), row.getInteger("start_offset"), row.getInteger("end_offset"), row.getInteger("parent_start"),
                    row.getInteger("parent_end"), row.getString("passage"), row.getDouble("similarity"),
                    WeftJson.mapper().readValue(row.getString("metadata"), METADATA));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a chunk's stored metadata does not read back", e);
        }
    }
}
