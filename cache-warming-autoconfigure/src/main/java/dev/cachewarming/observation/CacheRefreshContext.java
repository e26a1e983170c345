package dev.cachewarming.observation;

import io.micrometer.observation.Observation;

/**
 * What a {@code cache.refresh.reload} observation sees: one refresh-ahead reload of a key that is still cached. The
 * load itself, when it runs, is a {@code cache.load} observation inside this one.
 *
 * <p>The key is here for conventions of your own; the default convention does not report it.
 */
public final class CacheRefreshContext extends Observation.Context {

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

    private final String cacheName;

    private final Object key;

    private volatile Result result;

    /**
     * @param cacheName the cache
     * @param key the key being refreshed
     */
    public CacheRefreshContext(String cacheName, Object key) {
        this.cacheName = cacheName;
        this.key = key;
    }

    /** @return the cache name */
    public String getCacheName() {
        return this.cacheName;
    }

    /** @return the key being refreshed (not reported by the default convention) */
    public Object getKey() {
        return this.key;
    }

    /** @return how the refresh ended, or {@code null} while it runs */
    public Result getResult() {
        return this.result;
    }

    /** @param result how the refresh ended */
    public void setResult(Result result) {
        this.result = result;
    }
}
