package io.weft.inference.retrieval;

import io.smallrye.mutiny.Uni;
import io.weft.inference.embedding.Embedders;
import io.weft.inference.embedding.Vectors;
import io.weft.inference.knowledge.KnowledgeBase;
import io.weft.inference.retrieval.ChunkSearch.ChunkKey;
import io.weft.inference.retrieval.ChunkSearch.Found;
import io.weft.inference.retrieval.SearchViews.Hit;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A search of one knowledge base: the query embedded with the knowledge base's model, the nearest
 * chunks and the best text matches (each ranking {@link #CANDIDATES_PER_K} × k deep), fused by
 * reciprocal rank in a hybrid search. Embedding blocks: callers run it off the event loop.
 */
@ApplicationScoped
public class Search {
    static final int CANDIDATES_PER_K = 4;
    static final int MIN_CANDIDATES = 20;

    /** What to look for and how; every setting already checked and completed from the knowledge base's defaults. */
    public record Query(String text, int k, String mode, MetadataFilter filter, double vectorWeight, double textWeight) {
    }

    private final ChunkSearch chunks;
    private final Embedders embedders;

    Search(ChunkSearch chunks, Embedders embedders) {
        this.chunks = chunks;
        this.embedders = embedders;
    }

    public Uni<List<Hit>> run(KnowledgeBase base, Query query) {
        boolean vectors = !"text".equals(query.mode());
        boolean words = !"vector".equals(query.mode());
        String vector = vectors ? embed(base, query.text()) : null;
        int dimension = base.embedding().dimension();
        int candidates = "hybrid".equals(query.mode()) ? Math.max(MIN_CANDIDATES, CANDIDATES_PER_K * query.k()) : query.k();
        Uni<List<ChunkKey>> nearest = vectors && query.vectorWeight() > 0 || "vector".equals(query.mode())
                ? chunks.nearest(base.tenantId(), base.id(), dimension, vector, query.filter(), candidates)
                : Uni.createFrom().item(List.of());
        Uni<List<ChunkKey>> matching = words && query.textWeight() > 0 || "text".equals(query.mode())
                ? chunks.matching(base.tenantId(), base.id(), TextQuery.words(query.text()), query.filter(), candidates)
                : Uni.createFrom().item(List.of());
        return Uni.combine().all().unis(nearest, matching).asTuple().chain(rankings -> {
            List<RankFusion.Fused<ChunkKey>> ranked = switch (query.mode()) {
                case "vector" -> RankFusion.fuse(query.k(), new RankFusion.Ranking<>(rankings.getItem1(), 1));
                case "text" -> RankFusion.fuse(query.k(), new RankFusion.Ranking<>(rankings.getItem2(), 1));
                default -> RankFusion.fuse(query.k(), new RankFusion.Ranking<>(rankings.getItem1(), query.vectorWeight()),
                        new RankFusion.Ranking<>(rankings.getItem2(), query.textWeight()));
            };
            Map<ChunkKey, Double> fused = new HashMap<>();
            ranked.forEach(entry -> fused.put(entry.chunk(), entry.score()));
            List<ChunkKey> keys = ranked.stream().map(RankFusion.Fused::chunk).toList();
            return chunks.content(base.tenantId(), base.id(), keys, dimension, vector)
                    .map(found -> found.stream().map(chunk -> hit(chunk, score(query.mode(), chunk, fused.get(chunk.key())))).toList());
        });
    }

    /** A hybrid search scores by fused rank; a vector search by similarity; a text search by its rank fused alone. */
    private static double score(String mode, Found chunk, double fused) {
        return "vector".equals(mode) && chunk.similarity() != null ? chunk.similarity() : fused;
    }

    private String embed(KnowledgeBase base, String text) {
        return Vectors.pgvector(embedders.of(base, "search:" + base.id()).embed(List.of(text)).get(0));
    }

    private static Hit hit(Found chunk, double score) {
        boolean parent = chunk.passage() != null;
        return new Hit(chunk.key().documentId(), chunk.documentName(), chunk.key().ordinal(), chunk.content(), chunk.start(), chunk.end(),
                chunk.passage(), parent ? chunk.parentStart() : null, parent ? chunk.parentEnd() : null, score, chunk.similarity(),
                chunk.metadata());
    }
}
