package dev.cachewarming.cache;

/**
 * Decides how a load runs once this JVM's single flight for a key has begun: at once, or under a lease shared
 * with other instances ({@code dev.cachewarming.stampede.LeaseLoadGuard}).
 */
@FunctionalInterface
public interface LoadGuard {

    /** Loads at once. */
    LoadGuard NONE = (cache, key, stale, load) -> load.loadAndStore();

    /**
     * @param cache the cache being loaded
     * @param key the key
     * @param stale the entry held for the key: an expired one on a miss, the current one on a refresh, or
     * {@code null}; a shared value is only taken instead of loading if it was written after this one
     * @param load loads the value and stores it in both tiers
     * @return the entry to hand to the flight's callers: the loaded one, one another instance stored, or
     * {@code stale}; {@code null} only when the load was skipped (refresh)
     * @throws Exception what the load threw
     */
    CacheEntry run(TieredCache cache, Object key, CacheEntry stale, LoadAction load) throws Exception;

    /** Loads a value and stores it in both tiers. */
    @FunctionalInterface
    interface LoadAction {

        /**
         * @return the stored entry
         * @throws Exception what the loader threw
         */
        CacheEntry loadAndStore() throws Exception;
    }
}
