package io.weft.platform.cache;

import io.weft.contracts.json.CanonicalJson;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Objects built from a recipe — everything they are made of, a tenant's resolved credential
 * included — kept for reuse under the SHA-256 of the recipe's canonical JSON, so that no secret is
 * ever a key. A recipe that changes (a rotated credential) gets a new object on its next use. At
 * most {@code max} are kept; when full, all are dropped: building one again costs a call, not a
 * failure. Thread-safe.
 */
public final class RecipeCache<V> {
    private final Map<String, V> kept = new ConcurrentHashMap<>();
    private final int max;

    public RecipeCache(int max) {
        this.max = max;
    }

    /** The object built from {@code recipe}, built by {@code build} the first time. */
    public V get(Object recipe, Supplier<? extends V> build) {
        String key = CanonicalJson.sha256(recipe);
        V found = kept.get(key);
        if (found != null) {
            return found;
        }
        if (kept.size() >= max) {
            kept.clear();
        }
        return kept.computeIfAbsent(key, k -> build.get());
    }
}
