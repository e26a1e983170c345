package dev.cachewarming.stampede;

/**
 * What a caller does when another instance's load of the key it needs takes longer than the wait timeout.
 */
public enum WaitTimeoutPolicy {

    /** Load the key itself (the database sees a second load; the caller is served). */
    LOAD,

    /** Throw a {@link StampedeWaitTimeoutException}. */
    THROW,

    /** Serve the stale value if one is held, otherwise load. */
    SERVE_STALE
}
