package dev.cachewarming.memcached;

import dev.cachewarming.cache.SharedTierException;

/**
 * A Memcached command of the shared tier failed, timed out or was not sent (circuit breaker open). Callers count
 * it and carry on without Memcached.
 */
public class MemcachedTierException extends SharedTierException {

    /**
     * @param message what failed
     * @param cause the client's exception, if any
     */
    public MemcachedTierException(String message, Throwable cause) {
        super(message, cause);
    }
}
