package dev.cachewarming.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of one {@link TieredCache}, kept with {@link LongAdder}s so that counting costs next to nothing
 * on the hit path; {@code dev.cachewarming.metrics} exposes them as Micrometer meters.
 */
public final class CacheStatistics {

    final LongAdder l1Hits = new LongAdder();

    final LongAdder l1Misses = new LongAdder();

    final LongAdder l2Hits = new LongAdder();

    final LongAdder l2Misses = new LongAdder();

    final LongAdder loadSuccesses = new LongAdder();

    final LongAdder loadFailures = new LongAdder();

    final LongAdder loadNanos = new LongAdder();

    final LongAdder puts = new LongAdder();

    final LongAdder evictions = new LongAdder();

    final LongAdder l1SizeEvictions = new LongAdder();

    final LongAdder l1Expirations = new LongAdder();

    final LongAdder l2Errors = new LongAdder();

    final LongAdder l2DecodeErrors = new LongAdder();

    private final LongAdder leasesAcquired = new LongAdder();

    private final LongAdder leasesLost = new LongAdder();

    private final LongAdder leasesExpired = new LongAdder();

    private final LongAdder staleServed = new LongAdder();

    private final LongAdder waitTimeouts = new LongAdder();

    private final LongAdder refreshesScheduled = new LongAdder();

    private final LongAdder refreshesSucceeded = new LongAdder();

    private final LongAdder refreshesFailed = new LongAdder();

    private final LongAdder refreshesSkipped = new LongAdder();

    /** @return fresh values found in the in-process tier */
    public long l1Hits() {
        return this.l1Hits.sum();
    }

    /** @return lookups the in-process tier could not answer */
    public long l1Misses() {
        return this.l1Misses.sum();
    }

    /** @return fresh values found in Redis after an in-process miss */
    public long l2Hits() {
        return this.l2Hits.sum();
    }

    /** @return lookups the shared tier could not answer (including those skipped while it is down) */
    public long l2Misses() {
        return this.l2Misses.sum();
    }

    /** @return loader calls that returned a value */
    public long loadSuccesses() {
        return this.loadSuccesses.sum();
    }

    /** @return loader calls that threw */
    public long loadFailures() {
        return this.loadFailures.sum();
    }

    /** @return total time spent in loader calls, nanoseconds */
    public long totalLoadNanos() {
        return this.loadNanos.sum();
    }

    /** @return values written (loaded or put) */
    public long puts() {
        return this.puts.sum();
    }

    /** @return explicit evictions and clears */
    public long evictions() {
        return this.evictions.sum();
    }

    /** @return in-process entries evicted because {@code l1-max-size} was reached */
    public long l1SizeEvictions() {
        return this.l1SizeEvictions.sum();
    }

    /** @return in-process entries dropped because their time was up */
    public long l1Expirations() {
        return this.l1Expirations.sum();
    }

    /** @return shared-tier calls that failed (timeouts, connection errors, refused while its breaker is open) */
    public long l2Errors() {
        return this.l2Errors.sum();
    }

    /** @return shared-tier values that could not be decoded as the declared type and were treated as misses */
    public long l2DecodeErrors() {
        return this.l2DecodeErrors.sum();
    }

    /** Counts a load lease taken by this instance. */
    public void recordLeaseAcquired() {
        this.leasesAcquired.increment();
    }

    /** Counts a load lease found held by another instance. */
    public void recordLeaseLost() {
        this.leasesLost.increment();
    }

    /** Counts a lease taken over after its holder let it expire without writing a value. */
    public void recordLeaseExpired() {
        this.leasesExpired.increment();
    }

    /** Counts a stale value served while the key reloads. */
    public void recordStaleServed() {
        this.staleServed.increment();
    }

    /** Counts a caller that stopped waiting for another instance's load. */
    public void recordWaitTimedOut() {
        this.waitTimeouts.increment();
    }

    /** Counts a refresh handed to the refresh executor. */
    public void recordRefreshScheduled() {
        this.refreshesScheduled.increment();
    }

    /** Counts a refresh that stored a new value. */
    public void recordRefreshSucceeded() {
        this.refreshesSucceeded.increment();
    }

    /** Counts a refresh whose loader threw; the current value stays until it expires. */
    public void recordRefreshFailed() {
        this.refreshesFailed.increment();
    }

    /** Counts a refresh not run: the executor was full, or another instance held the lease. */
    public void recordRefreshSkipped() {
        this.refreshesSkipped.increment();
    }

    /** @return load leases taken by this instance */
    public long leasesAcquired() {
        return this.leasesAcquired.sum();
    }

    /** @return load leases found held by another instance */
    public long leasesLost() {
        return this.leasesLost.sum();
    }

    /** @return leases taken over after their holder let them expire */
    public long leasesExpired() {
        return this.leasesExpired.sum();
    }

    /** @return stale values served while their key reloaded */
    public long staleServed() {
        return this.staleServed.sum();
    }

    /** @return callers that stopped waiting for another instance's load */
    public long waitTimeouts() {
        return this.waitTimeouts.sum();
    }

    /** @return refreshes handed to the refresh executor */
    public long refreshesScheduled() {
        return this.refreshesScheduled.sum();
    }

    /** @return refreshes that stored a new value */
    public long refreshesSucceeded() {
        return this.refreshesSucceeded.sum();
    }

    /** @return refreshes whose loader threw */
    public long refreshesFailed() {
        return this.refreshesFailed.sum();
    }

    /** @return refreshes not run */
    public long refreshesSkipped() {
        return this.refreshesSkipped.sum();
    }
}
