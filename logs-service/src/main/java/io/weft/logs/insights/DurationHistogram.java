package io.weft.logs.insights;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of durations by bucket, as {@code weft_duration_bucket} (V3) files them: bucket 0 is
 * under 1 ms, bucket b >= 1 holds [2^((b-1)/4), 2^(b/4)) ms, -1 holds runs without a duration.
 * A percentile is answered as its bucket's geometric middle, so it is within about 9% of the exact
 * value, whatever the number of runs.
 */
final class DurationHistogram {
    private final TreeMap<Integer, Long> counts = new TreeMap<>();
    private long timed;

    void add(int bucket, long runs) {
        if (bucket >= 0) {
            counts.merge(bucket, runs, Long::sum);
            timed += runs;
        }
    }

    void addAll(DurationHistogram other) {
        other.counts.forEach(this::add);
    }

    /** The duration at quantile {@code q} (0..1), or null without timed runs. */
    Long percentile(double q) {
        if (timed == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * timed));
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : counts.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return middle(bucket.getKey());
            }
        }
        return middle(counts.lastKey());
    }

    static long middle(int bucket) {
        return bucket == 0 ? 0 : Math.round(Math.pow(2, (bucket - 0.5) / 4));
    }
}
