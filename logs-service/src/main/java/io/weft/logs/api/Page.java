package io.weft.logs.api;

import java.util.List;
import java.util.function.Function;

/** One page of a newest-first list, with the cursor of the next one (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {

    /** @param fetched up to {@code size + 1} entries: one more than the page says whether another follows */
    public static <T> Page<T> of(List<T> fetched, int size, Function<T, Keyset> position) {
        if (fetched.size() <= size) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, size);
        return new Page<>(items, position.apply(items.get(size - 1)).encode());
    }
}
