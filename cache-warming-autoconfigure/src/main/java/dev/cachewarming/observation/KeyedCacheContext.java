package dev.cachewarming.observation;

import io.micrometer.observation.Observation;

/**
 * What the observations of one key share: the cache, the key and how the observed work ended. The key is here for
 * conventions of your own; the default conventions never report it.
 *
 * @param <R> how the observed work can end
 */
public abstract class KeyedCacheContext<R extends Enum<R>> extends Observation.Context {

    private final String cacheName;

    private final Object key;

    private volatile R result;

    /**
     * @param cacheName the cache
     * @param key the key concerned
     */
    protected KeyedCacheContext(String cacheName, Object key) {
        this.cacheName = cacheName;
        this.key = key;
    }

    /** @return the cache name */
    public String getCacheName() {
        return this.cacheName;
    }

    /** @return the key concerned (not reported by the default conventions) */
    public Object getKey() {
        return this.key;
    }

    /** @return how the work ended, or {@code null} while it runs */
    public R getResult() {
        return this.result;
    }

    /** @param result how the work ended */
    public void setResult(R result) {
        this.result = result;
    }
}
