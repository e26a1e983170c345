package dev.cachewarming.cache;

/**
 * The reads of one cache's entries, as refresh-ahead follows them: each entry of a cache that tracks reads
 * ({@link TieredCache#trackReads()}) carries when it was last read, whether a refresh of it is planned or running,
 * and an opaque context that tells the refresher how to reload its key. Keeping this in the entry costs 16 bytes
 * per key, where a map of tracked keys beside the cache cost over a hundred.
 *
 * <p>Thread-safe.
 */
public final class ReadTracking {

    private final LocalTier l1;

    private final KeyCodec keyCodec;

    ReadTracking(LocalTier l1, KeyCodec keyCodec) {
        this.l1 = l1;
        this.keyCodec = keyCodec;
    }

    /**
     * Records a read: its time, and how to reload the key if the entry has no such context yet. Allocates nothing
     * unless the entry was held before tracking began.
     * @param key the key read
     * @param entry the entry read
     * @param now the current time, epoch milliseconds
     * @param reloadContext how to reload the key (kept by the first read that gives one), or {@code null}
     * @return the entry as tracked, or {@code null} if L1 no longer holds it
     */
    public CacheEntry recordRead(Object key, CacheEntry entry, long now, Object reloadContext) {
        if (entry instanceof TrackedEntry tracked) {
            return LocalTier.recordRead(tracked, now, reloadContext);
        }
        return this.l1.recordRead(this.keyCodec.toLocal(key), entry, now, reloadContext);
    }

    /**
     * @param entry an entry of this cache
     * @return the reload context its reads left, or {@code null}
     */
    public Object reloadContext(CacheEntry entry) {
        return (entry instanceof TrackedEntry tracked) ? tracked.reloadContext : null;
    }

    /**
     * Visits every tracked entry L1 holds, weakly consistent (as Caffeine iterates).
     * @param visitor gets each key (as L1 holds it: the key itself, or its encoded form for caches keyed by text)
     * with its entry and reads
     */
    public void forEach(Visitor visitor) {
        this.l1.forEachTracked((key, entry) -> visitor.visit(key, entry, entry.lastRead, entry.reloadContext));
    }

    /**
     * @param entry an entry of this cache
     * @return whether the caller may start a refresh of it (none runs): then it must call
     * {@link #releaseRefresh(CacheEntry)} when done
     */
    public boolean claimRefresh(CacheEntry entry) {
        return !(entry instanceof TrackedEntry tracked) || tracked.claim(TrackedEntry.REFRESHING);
    }

    /** @param entry an entry whose refresh the caller claimed */
    public void releaseRefresh(CacheEntry entry) {
        if (entry instanceof TrackedEntry tracked) {
            tracked.release(TrackedEntry.REFRESHING);
        }
    }

    /**
     * @param entry an entry of this cache
     * @return whether the caller may plan a refresh of it (none is planned); a plan that ends without running
     * calls {@link #releasePlan(CacheEntry)}
     */
    public boolean claimPlan(CacheEntry entry) {
        return entry instanceof TrackedEntry tracked && tracked.claim(TrackedEntry.PLANNED);
    }

    /** @param entry an entry whose plan the caller claimed */
    public void releasePlan(CacheEntry entry) {
        if (entry instanceof TrackedEntry tracked) {
            tracked.release(TrackedEntry.PLANNED);
        }
    }

    /** Sees one tracked entry. */
    @FunctionalInterface
    public interface Visitor {

        /**
         * @param key the key, as L1 holds it
         * @param entry its entry
         * @param lastRead when it was last read, epoch milliseconds
         * @param reloadContext how to reload it, or {@code null} if no read gave one yet
         */
        void visit(Object key, CacheEntry entry, long lastRead, Object reloadContext);
    }
}
