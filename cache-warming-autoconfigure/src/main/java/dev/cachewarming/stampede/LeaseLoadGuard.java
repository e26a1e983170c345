package dev.cachewarming.stampede;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.LoadGuard;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.observation.LeaseWaitContext;

/**
 * Makes one instance of the fleet load a key: the flight leader of each instance tries to take the key's lease;
 * the one that gets it loads and writes the value, the others wait for the value to appear in Redis, woken by
 * its invalidation message, and take it from there.
 *
 * <ul>
 * <li>A stale value, if one is held, is served at once to callers that do not get the lease.</li>
 * <li>No wait depends on one message: a waiter also looks for the value (and tries the lease) after
 * {@link StampedeOptions#recheckInterval()}, then twice that, up to {@link StampedeOptions#maxRecheckInterval()}.
 * A lost message costs it at most about the holder's load time again, never the wait timeout.</li>
 * <li>When messages may not arrive (the connection to Redis dropped, its circuit breaker opened) every waiter is
 * woken; one that finds Redis unavailable loads the key itself.</li>
 * <li>A holder that dies stops renewing its lease; it expires after the lease TTL and a waiter takes over.</li>
 * <li>A holder whose load fails releases its lease and says so; the waiters try again.</li>
 * <li>A caller waits at most {@link StampedeOptions#waitTimeout()}, then follows
 * {@link StampedeOptions#onWaitTimeout()}.</li>
 * <li>When leases cannot be taken (Redis down), the key is loaded locally: availability over strictness.</li>
 * </ul>
 *
 * <p>With {@code skipWhenLeased} (refresh-ahead), a lease held elsewhere means the load is skipped: the holder's
 * write will reach this instance as an invalidation.
 *
 * <p>A caller that has to wait for the holder is observed as {@code cache.lease.wait}, from its first wait until it
 * has a value, a stale value, the lease, or gives up; the load that may follow is not part of the wait.
 */
public final class LeaseLoadGuard implements LoadGuard {

    private final LeaseRegistry leases;

    private final LeaseWaiters waiters;

    private final StampedeOptions options;

    private final boolean skipWhenLeased;

    private final CacheObservations observations;

    /**
     * A guard that makes no observations.
     * @param leases the shared leases
     * @param waiters where this instance's waiters are woken
     * @param options wait timeout, its policy and the lease TTL
     * @param skipWhenLeased skip the load (return {@code null}) when another instance holds the lease
     */
    public LeaseLoadGuard(LeaseRegistry leases, LeaseWaiters waiters, StampedeOptions options,
            boolean skipWhenLeased) {
        this(leases, waiters, options, skipWhenLeased, CacheObservations.NOOP);
    }

    /**
     * @param leases the shared leases
     * @param waiters where this instance's waiters are woken
     * @param options wait timeout, its policy and the lease TTL
     * @param skipWhenLeased skip the load (return {@code null}) when another instance holds the lease
     * @param observations where waits for another instance's load are observed
     */
    public LeaseLoadGuard(LeaseRegistry leases, LeaseWaiters waiters, StampedeOptions options,
            boolean skipWhenLeased, CacheObservations observations) {
        this.observations = observations;
        this.leases = leases;
        this.waiters = waiters;
        this.options = options;
        this.skipWhenLeased = skipWhenLeased;
    }

    @Override
    public CacheEntry run(TieredCache cache, Object key, CacheEntry stale, LoadAction load) throws Exception {
        if (!cache.isShared() || !this.leases.isAvailable()) {
            return load.loadAndStore();
        }
        String encodedKey = cache.keyCodec().encode(key);
        long start = System.nanoTime();
        long deadline = start + this.options.waitTimeout().toNanos();
        long leaseNanos = this.options.leaseTtl().toNanos();
        long recheck = this.options.recheckInterval().toNanos();
        long maxRecheck = Math.max(recheck, this.options.maxRecheckInterval().toNanos());
        // Whether the lease was found held, and whether anything was heard since it last was: a lease taken over
        // without a word from its holder has expired (or its release was lost).
        boolean foundHeld = false;
        boolean heard = false;
        boolean lookedAfterWaking = false;
        LeaseWait wait = null;
        try {
            while (true) {
                // Register first: a release between a failed attempt and the wait must still wake this caller.
                CompletableFuture<Void> signal = this.waiters.register(cache.name(), encodedKey);
                try {
                    if (foundHeld && !this.leases.isAvailable()) {
                        // Redis went away while this caller waited (the breaker opened and woke it): load here.
                        LeaseWait.end(wait, LeaseWaitContext.Result.UNAVAILABLE, null);
                        return load.loadAndStore();
                    }
                    LeaseRegistry.Lease lease;
                    try {
                        lease = this.leases.tryAcquire(cache.name(), encodedKey, this.options.leaseTtl());
                    }
                    catch (RuntimeException ex) {
                        LeaseWait.end(wait, LeaseWaitContext.Result.UNAVAILABLE, null);
                        return load.loadAndStore();
                    }
                    if (lease != null) {
                        this.waiters.unregister(cache.name(), encodedKey, signal);
                        LeaseWait.end(wait, LeaseWaitContext.Result.ACQUIRED, null);
                        cache.stats().recordLeaseAcquired();
                        if (foundHeld && !heard) {
                            cache.stats().recordLeaseExpired();
                        }
                        return loadUnderLease(cache, key, stale, lease, load);
                    }
                    if (!foundHeld) {
                        cache.stats().recordLeaseLost();
                    }
                    foundHeld = true;
                    heard = false;
                    if (this.skipWhenLeased) {
                        return null;
                    }
                    if (stale != null && !stale.isFreshAt(cache.now())) {
                        LeaseWait.end(wait, LeaseWaitContext.Result.STALE, null);
                        cache.stats().recordStaleServed();
                        return stale;
                    }
                    if (!lookedAfterWaking) {
                        CacheEntry shared = cache.readShared(key);
                        if (shared != null) {
                            LeaseWait.end(wait, LeaseWaitContext.Result.SHARED, null);
                            return shared;
                        }
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return onWaitTimeout(cache, encodedKey, stale, load, start, wait);
                    }
                    if (wait == null) {
                        wait = LeaseWait.start(this.observations, cache.name(), key);
                    }
                    // The holder's message normally ends the wait; a message can be lost (a reconnect, a failover),
                    // so the caller also looks again after 50 ms, 100, 200... and never depends on one message.
                    long pause = Math.min(Math.min(recheck, remaining), leaseNanos);
                    try {
                        signal.get(pause, TimeUnit.NANOSECONDS);
                        heard = true;
                        // Something happened (a release, Redis back): the next look comes soon again.
                        recheck = this.options.recheckInterval().toNanos();
                    }
                    catch (TimeoutException ex) {
                        // Look again: the value, then the lease (its holder may be gone).
                        recheck = Math.min(recheck * 2, maxRecheck);
                    }
                    lookedAfterWaking = true;
                    CacheEntry written = cache.readShared(key);
                    if (written != null) {
                        LeaseWait.end(wait, LeaseWaitContext.Result.SHARED, null);
                        return written;
                    }
                }
                catch (ExecutionException ex) {
                    throw new IllegalStateException("Lease signal failed", ex);
                }
                finally {
                    this.waiters.unregister(cache.name(), encodedKey, signal);
                }
            }
        }
        catch (Exception | Error ex) {
            // A wait that ended already (a throw policy's timeout, a load after taking the lease) keeps its result.
            LeaseWait.fail(wait, ex);
            throw ex;
        }
    }

    private static CacheEntry loadUnderLease(TieredCache cache, Object key, CacheEntry held,
            LeaseRegistry.Lease lease, LoadAction load) throws Exception {
        try {
            // Another instance may have written a value between this caller's miss (or refresh) and its lease.
            CacheEntry shared = cache.readShared(key);
            if (shared != null && (held == null || shared.writtenAt() > held.writtenAt())) {
                return shared;
            }
            return load.loadAndStore();
        }
        finally {
            lease.release();
        }
    }

    private CacheEntry onWaitTimeout(TieredCache cache, String encodedKey, CacheEntry stale, LoadAction load,
            long start, LeaseWait wait) throws Exception {
        cache.stats().recordWaitTimedOut();
        if (this.options.onWaitTimeout() == WaitTimeoutPolicy.THROW) {
            StampedeWaitTimeoutException timeout = new StampedeWaitTimeoutException(cache.name(), encodedKey,
                    Duration.ofNanos(System.nanoTime() - start));
            LeaseWait.end(wait, LeaseWaitContext.Result.TIMEOUT, timeout);
            throw timeout;
        }
        // The wait is over; the load that may follow is observed as a load, not as waiting.
        LeaseWait.end(wait, LeaseWaitContext.Result.TIMEOUT, null);
        return (this.options.onWaitTimeout() == WaitTimeoutPolicy.SERVE_STALE && stale != null) ? stale
                : load.loadAndStore();
    }
}
