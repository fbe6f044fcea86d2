package io.weft.logs.redaction;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many values of each category were masked; the values themselves are never kept. One instance per
 * batch of events, filled by {@link Redactor} and reported alongside the batch. Not thread-safe.
 */
public final class RedactionCounts {
    private static final RedactionCategory[] CATEGORIES = RedactionCategory.values();

    private final int[] counts = new int[CATEGORIES.length];

    public void add(RedactionCategory category) {
        counts[category.ordinal()]++;
    }

    public int count(RedactionCategory category) {
        return counts[category.ordinal()];
    }

    public int total() {
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        return total;
    }

    public boolean isEmpty() {
        return total() == 0;
    }

    /** Adds the other counts to these; returns this. */
    public RedactionCounts merge(RedactionCounts other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    /** Non-zero counts by wire name, in category order. */
    public Map<String, Integer> asMap() {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (RedactionCategory category : CATEGORIES) {
            if (counts[category.ordinal()] > 0) {
                map.put(category.wireName(), counts[category.ordinal()]);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
