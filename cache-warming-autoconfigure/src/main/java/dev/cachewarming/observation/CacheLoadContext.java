package dev.cachewarming.observation;


/**
 * What a {@code cache.load} observation sees: one run of a cache's loader (and the store of its value) for one key.
 *
 * <p>The key is here for conventions of your own; the default convention does not report it.
 */
public final class CacheLoadContext extends KeyedCacheContext<CacheLoadContext.Result> {

    /** What made a load run. */
    public enum Trigger {

        /** A caller missed the key (in both tiers). */
        MISS("miss"),

        /** Refresh-ahead reloaded a key that is still cached. */
        REFRESH("refresh"),

        /** The application asked for the key to be loaded now ({@code CacheWarming.repopulate}). */
        EXPLICIT("explicit");

        private final String value;

        Trigger(String value) {
            this.value = value;
        }

        /** @return the key value, e.g. {@code miss} */
        public String value() {
            return this.value;
        }
    }

    /** How a load ended. */
    public enum Result {

        /** The loader returned a value. */
        SUCCESS("success"),

        /** The loader returned {@code null} or an empty {@code Optional}. */
        ABSENT("absent"),

        /** The loader threw; the error is recorded on the observation. */
        FAILURE("failure");

        private final String value;

        Result(String value) {
            this.value = value;
        }

        /** @return the key value, e.g. {@code success} */
        public String value() {
            return this.value;
        }
    }

    private final Trigger trigger;

    /**
     * @param cacheName the cache
     * @param key the key being loaded
     * @param trigger what made the load run
     */
    public CacheLoadContext(String cacheName, Object key, Trigger trigger) {
        super(cacheName, key);
        this.trigger = trigger;
    }

    /** @return what made the load run */
    public Trigger getTrigger() {
        return this.trigger;
    }
}
