package dev.cachewarming.warming;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The warming API: progress, re-warming on demand, and invalidate-and-repopulate after an update.
 *
 * <pre>{@code
 * @EventListener
 * void onPriceChanged(PriceChanged event) {
 *     // The database is updated: write the fresh value now instead of evicting, so no miss window opens.
 *     cacheWarming.repopulate("products", event.productId());
 * }
 * }</pre>
 */
public interface CacheWarming {

    /** @return where the last (or current) warm-up stands */
    WarmupState state();

    /** @return each warmable cache's progress in the last (or current) warm-up */
    Map<String, CacheWarmupProgress> progress();

    /** @return the names of the caches filled by {@code @Warmable} methods */
    Collection<String> warmableCaches();

    /**
     * Warms one cache again, in the background.
     * @param cacheName the cache
     * @return completes when the re-warm ends
     * @throws IllegalArgumentException if no {@code @Warmable} method fills that cache
     */
    CompletableFuture<WarmupState> rewarm(String cacheName);

    /**
     * Loads a fresh value for a call of an annotated method and writes it to both tiers (telling the other
     * instances), whatever is cached: use it after updating the data behind a key.
     * @param cacheName the cache of the annotated method
     * @param arguments the call's arguments
     * @return the fresh value
     * @throws IllegalArgumentException if no annotated method uses that cache
     */
    Object repopulate(String cacheName, Object... arguments);

    /**
     * @param cacheName a warmable cache
     * @param limit the most keys
     * @return its hottest calls since startup (arguments with estimated call counts), hottest first
     */
    List<SpaceSavingSummary.Counted<Object>> hotKeys(String cacheName, int limit);
}
