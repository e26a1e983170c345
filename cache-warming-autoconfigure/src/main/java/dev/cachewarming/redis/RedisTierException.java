package dev.cachewarming.redis;

import dev.cachewarming.cache.SharedTierException;

/** A Redis command of the cache tier failed, timed out, or was not tried because Redis is known to be down. */
public class RedisTierException extends SharedTierException {

    /**
     * @param message what failed
     * @param cause why, if known
     */
    public RedisTierException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what failed
     */
    public RedisTierException(String message) {
        super(message, null, false, false);
    }
}
