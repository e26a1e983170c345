package dev.cachewarming.observation;


/**
 * What a {@code cache.lease.wait} observation sees: a caller that lost a key's lease to another instance, found
 * neither a stale value to serve nor the key in Redis, and waits for the holder's write (or for the lease).
 *
 * <p>The key is here for conventions of your own; the default convention does not report it.
 */
public final class LeaseWaitContext extends KeyedCacheContext<LeaseWaitContext.Result> {

    /** How a wait ended. */
    public enum Result {

        /** The holder's value appeared in Redis and was taken. */
        SHARED("shared"),

        /** The lease came free (the holder failed, or died and its lease expired) and this caller took it. */
        ACQUIRED("acquired"),

        /** An expired value still held was served instead of waiting on. */
        STALE("stale"),

        /**
         * The wait timeout passed; what followed is {@code cache-warming.stampede.on-wait-timeout} (a
         * {@code throw} policy's exception is recorded as the error).
         */
        TIMEOUT("timeout"),

        /** Leases could not be asked any more (Redis failing): the caller loads the key itself. */
        UNAVAILABLE("unavailable"),

        /** Something failed while waiting or after taking the lease; the error is recorded. */
        FAILURE("failure");

        private final String value;

        Result(String value) {
            this.value = value;
        }

        /** @return the key value, e.g. {@code shared} */
        public String value() {
            return this.value;
        }
    }

    /**
     * @param cacheName the cache
     * @param key the key waited for
     */
    public LeaseWaitContext(String cacheName, Object key) {
        super(cacheName, key);
    }
}
