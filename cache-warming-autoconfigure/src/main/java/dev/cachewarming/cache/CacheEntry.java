package dev.cachewarming.cache;

import java.util.Objects;

/**
 * One cached value with the timing facts that refresh-ahead and stampede protection decide on.
 *
 * <p>An entry is <em>fresh</em> until {@code expiresAt}; after that it may still be held for a while as a
 * <em>stale</em> entry (see {@link CacheSettings#staleTtl()}), to be served only where stale reads are allowed.
 * A {@code null} value (or an empty {@code Optional}) is an <em>absent</em> result that was cached on purpose.
 *
 * <p>Compact on purpose, since a cache holds one per key where it keeps timing facts: 32 bytes with compressed
 * references. The write time is kept as the entry's lifetime before {@code expiresAt}, exact to the millisecond
 * for lifetimes up to 24 days (to the second beyond), and the load time to the microsecond, at most 35 minutes.
 * Immutable, except for the read tracking of the refresh-ahead subtype, which is not part of its value.
 */
public sealed class CacheEntry permits TrackedEntry {

    private static final long MAX_MICROS = Integer.MAX_VALUE;

    private final Object value;

    private final long expiresAt;

    // expiresAt - writtenAt: milliseconds when >= 0, else minus whole seconds (lifetimes beyond 24.8 days).
    private final int lifetime;

    private final int loadMicros;

    /**
     * @param value the cached value, {@code null} for an absent result
     * @param writtenAt when the value was written, epoch milliseconds
     * @param expiresAt until when the value is fresh, epoch milliseconds (exclusive)
     * @param loadNanos how long loading the value took, in nanoseconds ({@code 0} if unknown)
     */
    public CacheEntry(Object value, long writtenAt, long expiresAt, long loadNanos) {
        this.value = value;
        this.expiresAt = expiresAt;
        long life = Math.max(0, expiresAt - writtenAt);
        this.lifetime = (life <= Integer.MAX_VALUE) ? (int) life : (int) -Math.min(Integer.MAX_VALUE, life / 1000);
        this.loadMicros = (int) Math.min(MAX_MICROS, Math.max(0, loadNanos / 1000));
    }

    /** Copies another entry's facts (for the subtype). */
    CacheEntry(CacheEntry facts) {
        this.value = facts.value;
        this.expiresAt = facts.expiresAt;
        this.lifetime = facts.lifetime;
        this.loadMicros = facts.loadMicros;
    }

    /** @return the cached value, {@code null} for an absent result */
    public Object value() {
        return this.value;
    }

    /** @return when the value was written, epoch milliseconds */
    public long writtenAt() {
        return this.expiresAt - lifetimeMillis();
    }

    /** @return until when the value is fresh, epoch milliseconds (exclusive) */
    public long expiresAt() {
        return this.expiresAt;
    }

    /** @return how long loading the value took, in nanoseconds ({@code 0} if unknown) */
    public long loadNanos() {
        return this.loadMicros * 1000L;
    }

    private long lifetimeMillis() {
        return (this.lifetime >= 0) ? this.lifetime : -this.lifetime * 1000L;
    }

    /**
     * @param nowMillis the current time, epoch milliseconds
     * @return whether the entry is still fresh at {@code nowMillis}
     */
    public boolean isFreshAt(long nowMillis) {
        return nowMillis < this.expiresAt;
    }

    /** @return whether this entry holds an absent result ({@code null} or an empty {@code Optional}) */
    public boolean isAbsent() {
        return isAbsentValue(this.value);
    }

    /**
     * @param value a loaded value
     * @return whether the value counts as absent: {@code null} or an empty {@code Optional}
     */
    public static boolean isAbsentValue(Object value) {
        return value == null || (value instanceof java.util.Optional<?> optional && optional.isEmpty());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheEntry entry && Objects.equals(this.value, entry.value)
                && this.expiresAt == entry.expiresAt && this.lifetime == entry.lifetime
                && this.loadMicros == entry.loadMicros;
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.value, this.expiresAt, this.lifetime, this.loadMicros);
    }

    @Override
    public String toString() {
        return "CacheEntry[value=" + this.value + ", writtenAt=" + writtenAt() + ", expiresAt=" + this.expiresAt
                + ", loadNanos=" + loadNanos() + "]";
    }
}
