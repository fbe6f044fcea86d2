package io.weft.inference.retrieval;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.weft.inference.embedding.Vectors;
import io.weft.inference.retrieval.ChunkSearch.ChunkKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Retrieval under load, on the real schema and the real search queries ({@link ChunkSearch}):
 * loads N synthetic chunks in 100 documents (384 dimensions, clustered around 1,000 centres as
 * embeddings of real text are, and queries near those centres; one document — 1 % of the chunks —
 * tagged for the filter; words for full text) into a knowledge base of a
 * fresh tenant in the test database, and measures each kind of search one after another
 * (latency percentiles) and the vector searches' recall@10 against an exact scan.
 *
 * <p>{@code ./weft bench retrieval [chunks] [queries]} — defaults 100,000 and 200. The HNSW index of
 * 384 dimensions is rebuilt after the load (faster than growing it row by row); the tenant's rows
 * are deleted at the end.
 */
public final class RetrievalLoad {
    private static final Duration WAIT = Duration.ofMinutes(30);
    private static final int DIMENSION = 384;
    private static final int K = 10;
    private static final int OTHER_CHUNKS = 2_000;

    private RetrievalLoad() {
    }

    public static void main(String[] args) {
        int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int others = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Vertx vertx = Vertx.vertx();
        Pool pool = PgPool.pool(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(5432)
                .setDatabase(System.getProperty("weft.bench.database", "weft_inference_test"))
                .setUser(System.getenv().getOrDefault("WEFT_DB_USER", "weft")).setPassword(System.getenv().getOrDefault("WEFT_DB_PASSWORD", "weft")),
                new PoolOptions().setMaxSize(4));
        UUID tenant = UUID.randomUUID();
        UUID base = UUID.randomUUID();
        try {
            List<UUID> otherBases = new ArrayList<>();
            for (int i = 0; i < others; i++) {
                otherBases.add(UUID.randomUUID());
            }
            load(pool, tenant, base, chunks, otherBases);
            ChunkSearch search = new ChunkSearch(pool);
            measure(search, pool, tenant, base, queries);
            if (!otherBases.isEmpty()) {
                System.out.printf("%d other knowledge bases of the tenant, %,d chunks each:%n", others, OTHER_CHUNKS);
                MetadataFilter none = MetadataFilter.none();
                Random random = new Random(7);
                report("vector, k=10, in one of the small ones", queries, () -> search.nearest(tenant, otherBases.get(random.nextInt(others)),
                        DIMENSION, randomVector(random), none, K).await().atMost(WAIT));
            }
        } finally {
            pool.preparedQuery("DELETE FROM knowledge_bases WHERE tenant_id = $1").execute(Tuple.of(tenant)).await().atMost(WAIT);
            pool.close().await().atMost(WAIT);
            vertx.close().await().atMost(WAIT);
        }
    }

    private static void load(Pool pool, UUID tenant, UUID base, int chunks, List<UUID> otherBases) {
        long started = System.nanoTime();
        for (UUID other : otherBases) {
            fill(pool, tenant, other, OTHER_CHUNKS);
        }
        fill(pool, tenant, base, chunks);
        long loaded = System.nanoTime();
        // As the migration defines it, built as an operator would after a bulk load: with the memory to hold the graph.
        pool.withConnection(connection -> connection.query("SET maintenance_work_mem = '1GB'").execute()
                .chain(() -> connection.query("CREATE INDEX chunks_embedding_384 ON chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops)"
                        + " WHERE dimension = 384").execute())).await().atMost(WAIT);
        long indexed = System.nanoTime();
        pool.query("VACUUM ANALYZE chunks").execute().await().atMost(WAIT);
        pool.query("VACUUM ANALYZE documents").execute().await().atMost(WAIT);
        System.out.printf("loaded %,d chunks (and %,d in %d other knowledge bases) in %.1f s, built the HNSW index in %.1f s%n", chunks,
                otherBases.size() * OTHER_CHUNKS, otherBases.size(), (loaded - started) / 1e9, (indexed - loaded) / 1e9);
    }

    /** A knowledge base of {@code chunks} synthetic chunks; the HNSW index of their dimension is dropped first (rebuilt after the load). */
    private static void fill(Pool pool, UUID tenant, UUID base, int chunks) {
        pool.preparedQuery("""
                        INSERT INTO knowledge_bases (tenant_id, id, name, embedding_provider, embedding_model, dimension, chunking, retrieval,
                                                     revision, created_by, updated_by, created_at, updated_at)
                        VALUES ($1, $2, 'bench-' || $2, 'local', 'all-minilm-l6-v2', 384, '{}', '{}', 1, 'bench', 'bench', now(), now())""")
                .execute(Tuple.of(tenant, base)).await().atMost(WAIT);
        // 100 documents of chunks/100 chunks each; the first (1 % of the chunks) is the "rare" team's, which its chunks carry.
        int perDocument = Math.max(1, chunks / 100);
        pool.preparedQuery("""
                        INSERT INTO documents (tenant_id, knowledge_base_id, id, name, content_type, bytes, text_hash, chunking, metadata, text,
                                               chunk_count, job_id, uploaded_at, created_by, updated_by, created_at, updated_at)
                        SELECT $1, $2, md5($2::text || d)::uuid, 'synthetic-' || d, 'text/plain', 0, 'x', '{}',
                               CASE WHEN d = 0 THEN '{"team":"rare"}'::jsonb ELSE '{"team":"common"}'::jsonb END, '', $3,
                               md5($2::text || d)::uuid, now(), 'bench', 'bench', now(), now()
                        FROM generate_series(0, 99) AS d""")
                .execute(Tuple.of(tenant, base, perDocument)).await().atMost(WAIT);
        pool.query("DROP INDEX IF EXISTS chunks_embedding_384").execute().await().atMost(WAIT);
        int batch = 10_000;
        for (int from = 0; from < chunks; from += batch) {
            pool.preparedQuery("""
                            INSERT INTO chunks (tenant_id, knowledge_base_id, document_id, ordinal, content, content_hash, start_offset, end_offset,
                                                parent_start, parent_end, metadata, dimension, embedding)
                            SELECT $1, $2, md5($2::text || (g / $3))::uuid, g % $3,
                                   'w' || (g % 5000) || ' w' || ((g * 7) % 5000) || ' w' || ((g * 13) % 5000) || ' common words here',
                                   md5(g::text), 0, 1, 0, 1,
                                   CASE WHEN g / $3 = 0 THEN '{"team":"rare"}'::jsonb ELSE '{"team":"common"}'::jsonb END, 384,
                                   (SELECT array_agg(sin((g % 1000) * 7919.0 + i * 104729.0) * 0.5 + (random() - 0.5) * 0.4)::real[]
                                    FROM generate_series(1, 384) AS i)::vector
                            FROM generate_series($4::int, $5::int) AS g""")
                    .execute(Tuple.of(tenant, base, perDocument, from, Math.min(chunks, from + batch) - 1)).await().atMost(WAIT);
            if (chunks > batch) {
                System.out.printf("loaded %,d of %,d chunks%n", Math.min(chunks, from + batch), chunks);
            }
        }
    }

    private static void measure(ChunkSearch search, Pool pool, UUID tenant, UUID base, int queries) {
        Random random = new Random(42);
        List<String> vectors = new ArrayList<>();
        List<List<String>> words = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            vectors.add(randomVector(random));
            words.add(TextQuery.words("w" + random.nextInt(5000) + " w" + random.nextInt(5000) + " words"));
        }
        MetadataFilter none = MetadataFilter.none();
        MetadataFilter rare = MetadataFilter.of(io.weft.contracts.json.WeftJson.mapper().createObjectNode().put("team", "rare"));
        int[] next = {0};
        Supplier<Integer> index = () -> next[0]++ % queries;
        report("vector, k=10", queries, () -> search.nearest(tenant, base, DIMENSION, vectors.get(index.get()), none, K).await().atMost(WAIT));
        report("vector, k=10, 1 % filter", queries,
                () -> search.nearest(tenant, base, DIMENSION, vectors.get(index.get()), rare, K).await().atMost(WAIT));
        report("text, k=10", queries, () -> search.matching(tenant, base, words.get(index.get()), none, K).await().atMost(WAIT));
        report("hybrid, k=10, 1 % filter (both rankings 40 deep at once, as a search runs them; fused; content read)", queries, () -> {
            int i = index.get();
            var rankings = io.smallrye.mutiny.Uni.combine().all().unis(search.nearest(tenant, base, DIMENSION, vectors.get(i), rare, 40),
                    search.matching(tenant, base, words.get(i), rare, 40)).asTuple().await().atMost(WAIT);
            List<ChunkKey> fused = RankFusion.fuse(K, new RankFusion.Ranking<>(rankings.getItem1(), 1),
                    new RankFusion.Ranking<>(rankings.getItem2(), 1)).stream().map(RankFusion.Fused::chunk).toList();
            return search.content(tenant, base, fused, DIMENSION, vectors.get(i)).await().atMost(WAIT);
        });
        System.out.printf("recall@10, vector: %.3f; with the 1 %% filter: %.3f (over %d queries, against an exact scan)%n",
                recall(search, pool, tenant, base, vectors, none, Math.min(queries, 50)),
                recall(search, pool, tenant, base, vectors, rare, Math.min(queries, 50)), Math.min(queries, 50));
    }

    /** A query near one of the 1,000 centres the chunks lie around. */
    private static String randomVector(Random random) {
        float[] vector = new float[DIMENSION];
        int centre = random.nextInt(1000);
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (float) (Math.sin(centre * 7919.0 + (d + 1) * 104729.0) * 0.5 + (random.nextDouble() - 0.5) * 0.4);
        }
        return Vectors.pgvector(vector);
    }

    private static void report(String what, int queries, Supplier<?> query) {
        for (int i = 0; i < Math.min(20, queries); i++) {
            query.get();
        }
        long[] nanos = new long[queries];
        for (int i = 0; i < queries; i++) {
            long started = System.nanoTime();
            query.get();
            nanos[i] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        System.out.printf("%-75s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms%n", what, nanos[queries / 2] / 1e6, nanos[(int) (queries * 0.95)] / 1e6,
                nanos[Math.min(queries - 1, (int) (queries * 0.99))] / 1e6);
    }

    private static double recall(ChunkSearch search, Pool pool, UUID tenant, UUID base, List<String> vectors, MetadataFilter filter, int queries) {
        double found = 0;
        for (int i = 0; i < queries; i++) {
            List<ChunkKey> approximate = search.nearest(tenant, base, DIMENSION, vectors.get(i), filter, K).await().atMost(WAIT);
            List<Object> parameters = new ArrayList<>(List.of(tenant, base, vectors.get(i), K));
            parameters.addAll(filter.parameters());
            var exact = new HashSet<ChunkKey>();
            pool.preparedQuery("SELECT document_id, ordinal FROM chunks WHERE tenant_id = $1 AND knowledge_base_id = $2 AND dimension = 384" + filter.sql(5)
                            + " ORDER BY (embedding::vector(384) <=> $3::vector(384)) + 0 LIMIT $4")
                    .execute(Tuple.from(parameters)).await().atMost(WAIT).forEach(row -> exact.add(new ChunkKey(row.getUUID("document_id"), row.getInteger("ordinal"))));
            found += approximate.stream().filter(exact::contains).count() / (double) K;
        }
        return found / queries;
    }
}
