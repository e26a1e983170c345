package dev.cachewarming.cache;

/**
 * Carries a checked exception thrown by a loader out of {@link TieredCache#get(Object, java.util.concurrent.Callable)}.
 * Unchecked exceptions and errors are rethrown as they are.
 */
public class CacheLoaderException extends RuntimeException {

    private final Object key;

    /**
     * @param cache the cache name
     * @param key the key being loaded
     * @param cause what the loader threw
     */
    public CacheLoaderException(String cache, Object key, Throwable cause) {
        super("Loading key '" + key + "' of cache '" + cache + "' failed: " + cause, cause);
        this.key = key;
    }

    /** @return the key being loaded */
    public Object getKey() {
        return this.key;
    }
}
