package dev.cachewarming.stampede;

import java.time.Duration;

/**
 * Per-key load leases shared by every instance: at most one instance holds the lease on a key at a time, so at
 * most one loads it ({@code @StampedeProtected}). A port of the shared tier (see {@code cache.SecondLevel}),
 * implemented by {@code dev.cachewarming.redis.RedisLeaseRegistry} ({@code SET NX PX}, Lua compare-and-pexpire
 * and compare-and-delete) and {@code dev.cachewarming.memcached.MemcachedLeaseRegistry} ({@code add}, then
 * CAS-checked renewal and release).
 *
 * <p>What every implementation guarantees:
 * <ul>
 * <li><b>One holder.</b> While a lease is held and renewed, {@link #tryAcquire} elsewhere returns {@code null}.
 * Only the holder (its random token) can renew or release it; a holder whose lease expired and passed on changes
 * nothing. A store that can evict a lease (Memcached under memory pressure) may let a second instance load: the
 * cost is one extra load, never a wrong value.</li>
 * <li><b>No orphan.</b> A lease whose holder died or lost the store expires after about {@code ttl}.</li>
 * <li><b>Wake-ups.</b> {@link Lease#release()} tells the waiters of every instance (through
 * {@code cache.InvalidationListener#leaseReleased}, by pub/sub or the backend's {@code InvalidationChannel}); a
 * waiter that hears nothing still re-checks when delivery is interrupted or its wait ends.</li>
 * <li><b>Bounded failure.</b> {@link #tryAcquire} fails within the command timeout with a
 * {@code cache.SharedTierException}; the caller then loads the key itself. Thread-safe.</li>
 * </ul>
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
