package dev.cachewarming.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The resolved, validated settings of one named cache.
 *
 * @param ttl how long a value stays fresh (before jitter); also its time to live in Redis (L2)
 * @param l1Ttl how long a value may stay in the in-process cache (L1) before it is read again from L2; never
 * longer than {@code ttl}
 * @param l1MaxSize the most entries the in-process cache holds; the least valuable are evicted beyond it
 * @param l2Enabled whether the cache uses Redis (L2) when Redis is available
 * @param jitter the spread applied to every TTL, as a fraction: {@code 0.1} turns 10m into 9m..11m, so that
 * entries written together do not expire together
 * @param absentTtl how long an absent result (null or empty Optional) stays cached; {@link Duration#ZERO} means
 * absent results are not cached
 * @param staleTtl how long an expired value is kept after it expires, to be served while it is reloaded where
 * stale reads are allowed; {@link Duration#ZERO} keeps nothing
 */
public record CacheSettings(Duration ttl, Duration l1Ttl, long l1MaxSize, boolean l2Enabled, double jitter,
        Duration absentTtl, Duration staleTtl) {

    /** The settings used when nothing is configured. */
    public static final CacheSettings DEFAULTS = new CacheSettings(Duration.ofMinutes(10), Duration.ofMinutes(10),
            10_000, true, 0.1, Duration.ofSeconds(30), Duration.ZERO);

    /**
     * Checks the invariants; {@code autoconfigure} reports violations with the property name before this runs.
     */
    public CacheSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(l1Ttl, "l1Ttl");
        Objects.requireNonNull(absentTtl, "absentTtl");
        Objects.requireNonNull(staleTtl, "staleTtl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        if (l1Ttl.isNegative() || l1Ttl.isZero() || l1Ttl.compareTo(ttl) > 0) {
            throw new IllegalArgumentException("l1Ttl must be positive and at most ttl (" + ttl + "), was " + l1Ttl);
        }
        if (l1MaxSize < 1) {
            throw new IllegalArgumentException("l1MaxSize must be at least 1, was " + l1MaxSize);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
        if (absentTtl.isNegative()) {
            throw new IllegalArgumentException("absentTtl must not be negative, was " + absentTtl);
        }
        if (staleTtl.isNegative()) {
            throw new IllegalArgumentException("staleTtl must not be negative, was " + staleTtl);
        }
    }

    /** @return whether absent results (null or empty Optional) are cached at all */
    public boolean cachesAbsentResults() {
        return !this.absentTtl.isZero();
    }

    /**
     * The jittered time a new value stays fresh.
     * @param absent whether the value is an absent result
     * @param random a uniform random number in [0, 1)
     * @return milliseconds, at least 1
     */
    public long freshMillis(boolean absent, double random) {
        return jittered(absent ? this.absentTtl : this.ttl, random);
    }

    /**
     * The jittered longest time a value may stay in L1.
     * @param random a uniform random number in [0, 1)
     * @return milliseconds, at least 1
     */
    public long l1Millis(double random) {
        return jittered(this.l1Ttl, random);
    }

    private long jittered(Duration base, double random) {
        double factor = 1.0 + this.jitter * (2.0 * random - 1.0);
        return Math.max(1L, Math.round(base.toMillis() * factor));
    }
}
