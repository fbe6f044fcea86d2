package io.weft.inference.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion: a chunk's score is the sum, over the rankings that hold it, of
 * {@code weight / (K + rank)} (rank from 1). It needs no comparable scores (a cosine similarity
 * and a text rank are not), and a chunk high in both rankings beats one that tops only one.
 * K = 60, as in Cormack et al. (2009) and most engines since.
 */
public final class RankFusion {
    public static final int K = 60;

    private RankFusion() {
    }

    /** A ranking to fuse: chunks best first, and how much it counts. */
    public record Ranking<T>(List<T> chunks, double weight) {
    }

    public record Fused<T>(T chunk, double score) {
    }

    /** The chunks of all rankings, best fused score first; ties keep the order in which chunks were first met. */
    @SafeVarargs
    public static <T> List<Fused<T>> fuse(int limit, Ranking<T>... rankings) {
        Map<T, Double> scores = new LinkedHashMap<>();
        for (Ranking<T> ranking : rankings) {
            if (ranking.weight() <= 0) {
                continue;
            }
            for (int i = 0; i < ranking.chunks().size(); i++) {
                scores.merge(ranking.chunks().get(i), ranking.weight() / (K + i + 1), Double::sum);
            }
        }
        List<Fused<T>> fused = new ArrayList<>();
        scores.forEach((chunk, score) -> fused.add(new Fused<>(chunk, score)));
        fused.sort(Comparator.comparingDouble((Fused<T> f) -> f.score()).reversed());
        return fused.size() > limit ? fused.subList(0, limit) : fused;
    }
}
