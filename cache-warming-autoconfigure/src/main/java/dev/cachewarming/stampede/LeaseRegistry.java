package dev.cachewarming.stampede;

import java.time.Duration;

/**
 * Per-key load leases shared by every instance: at most one instance holds the lease on a key at a time, so at
 * most one loads it. Redis in practice ({@code dev.cachewarming.redis.RedisLeaseRegistry}).
 */
public interface LeaseRegistry {

    /** @return whether leases can be taken now (false while the shared store is known to be down) */
    boolean isAvailable();

    /**
     * Takes the lease on a key if nobody holds it. A taken lease is renewed in the background until it is
     * released, so a long load keeps it; if its holder dies, it expires after {@code ttl}.
     * @param cache the cache name
     * @param encodedKey the encoded key
     * @param ttl how long the lease lasts without renewal
     * @return the lease, or {@code null} if another holder has it
     * @throws RuntimeException if the store cannot be asked
     */
    Lease tryAcquire(String cache, String encodedKey, Duration ttl);

    /** A held lease. */
    interface Lease extends AutoCloseable {

        /**
         * Stops renewing the lease and, if this holder still owns it, deletes it and tells the other instances'
         * waiters to look again (both in one owner-checked step). Whether or not a value reached the shared store,
         * the waiters wake: they take the value if it is there, or the lease if it is not.
         */
        void release();

        @Override
        default void close() {
            release();
        }
    }
}
