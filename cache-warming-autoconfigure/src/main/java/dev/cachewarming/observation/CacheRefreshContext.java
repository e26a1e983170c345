package dev.cachewarming.observation;


/**
 * What a {@code cache.refresh.reload} observation sees: one refresh-ahead reload of a key that is still cached. The
 * load itself, when it runs, is a {@code cache.load} observation inside this one.
 *
 * <p>The key is here for conventions of your own; the default convention does not report it.
 */
public final class CacheRefreshContext extends KeyedCacheContext<CacheRefreshContext.Result> {

    /** How a refresh ended. */
    public enum Result {

        /** The key was reloaded (or a newer value another instance stored was taken). */
        SUCCESS("success"),

        /** Not reloaded here: another instance holds the key's lease, and its write will reach this one. */
        SKIPPED("skipped"),

        /** The loader threw; the current value is served until it expires. The error is recorded. */
        FAILURE("failure");

        private final String value;

        Result(String value) {
            this.value = value;
        }

        /** @return the key value, e.g. {@code skipped} */
        public String value() {
            return this.value;
        }
    }

    /**
     * @param cacheName the cache
     * @param key the key being refreshed
     */
    public CacheRefreshContext(String cacheName, Object key) {
        super(cacheName, key);
    }
}
