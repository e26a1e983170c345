package dev.cachewarming.stampede;

import java.time.Duration;

/**
 * Another instance held the load lease on a key for longer than the caller's wait timeout, and the wait-timeout
 * policy is {@link WaitTimeoutPolicy#THROW}.
 */
public class StampedeWaitTimeoutException extends RuntimeException {

    /**
     * @param cache the cache name
     * @param key the encoded key
     * @param waited how long the caller waited
     */
    public StampedeWaitTimeoutException(String cache, String key, Duration waited) {
        super("Waited " + waited + " for another instance to load key '" + key + "' of cache '" + cache
                + "'; raise cache-warming.stampede.wait-timeout or choose another on-wait-timeout policy");
    }
}
