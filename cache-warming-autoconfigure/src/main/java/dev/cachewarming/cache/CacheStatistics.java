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

    /** @return lookups Redis could not answer (including those skipped while Redis is down) */
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

    /** @return Redis calls that failed (timeouts, connection errors) */
    public long l2Errors() {
        return this.l2Errors.sum();
    }

    /** @return Redis values that could not be decoded as the declared type and were treated as misses */
    public long l2DecodeErrors() {
        return this.l2DecodeErrors.sum();
    }
}
