package dev.cachewarming.refresh;

import java.util.concurrent.ThreadLocalRandom;

import dev.cachewarming.cache.CacheEntry;

/**
 * Decides on a cache hit whether to reload the entry early: probabilistic early expiration ("XFetch", Vattani,
 * Chierichetti and Lowenstein, <em>Optimal Probabilistic Cache Stampede Prevention</em>, VLDB 2015), plus an
 * optional fixed threshold.
 *
 * <p>XFetch refreshes when {@code now - delta * beta * ln(random) >= expiresAt}, where {@code delta} is how long
 * the value took to load: the closer the expiry and the slower the load, the likelier a refresh, and among many
 * concurrent readers roughly one triggers it. {@code beta > 1} refreshes earlier, {@code beta < 1} later. The fixed
 * threshold also refreshes once the given fraction of the TTL has passed (0 switches it off).
 *
 * <p>Immutable and thread-safe; allocation-free.
 *
 * @param beta the XFetch weight, {@code >= 0}; 0 switches XFetch off
 * @param threshold the fraction of the TTL after which a hit always refreshes, in {@code [0, 1)}; 0 switches
 * it off
 */
public record XFetchPolicy(double beta, double threshold) {

    /** The shortest time before expiry a background refresh is planned for. */
    static final long MIN_MARGIN_MILLIS = 100;

    /**
     * The largest {@code -ln(random)} a draw of {@link #shouldRefresh(CacheEntry, long)} can give: its random number
     * is {@code 1 - nextDouble()}, at least 2<sup>-53</sup>, and {@code 53 ln 2 = 36.74}; rounded up.
     */
    static final double MAX_WEIGHT = 36.75;

    /**
     * Draws the random number only when it can matter: an entry whose expiry is further away than
     * {@value #MAX_WEIGHT} weighted load times is never refreshed by any draw, and that is nearly every hit (a
     * 5-minute TTL and a 5 ms load put the reach of a draw in the last 184 ms). The logarithm it spares was an
     * eighth of the whole hit path (JMH with async-profiler).
     * @param entry the entry just read
     * @param nowMillis the current time, epoch milliseconds
     * @return whether to refresh the entry now
     */
    public boolean shouldRefresh(CacheEntry entry, long nowMillis) {
        if (thresholdReached(entry, nowMillis)) {
            return true;
        }
        if (this.beta <= 0 || entry.expiresAt() - nowMillis > weightedLoadMillis(entry) * MAX_WEIGHT) {
            return false;
        }
        return xfetch(entry, nowMillis, 1.0 - ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param nowMillis the current time, epoch milliseconds
     * @param entry the entry just read
     * @param random a uniform random number in (0, 1]
     * @return whether to refresh the entry now
     */
    public boolean shouldRefresh(CacheEntry entry, long nowMillis, double random) {
        return thresholdReached(entry, nowMillis) || (this.beta > 0 && xfetch(entry, nowMillis, random));
    }

    private boolean thresholdReached(CacheEntry entry, long nowMillis) {
        if (this.threshold <= 0) {
            return false;
        }
        long ttl = entry.expiresAt() - entry.writtenAt();
        return nowMillis >= entry.writtenAt() + (long) (ttl * this.threshold);
    }

    private boolean xfetch(CacheEntry entry, long nowMillis, double random) {
        return nowMillis - weightedLoadMillis(entry) * Math.log(random) >= entry.expiresAt();
    }

    private double weightedLoadMillis(CacheEntry entry) {
        return Math.max(entry.loadNanos(), 1_000_000L) / 1_000_000.0 * this.beta;
    }

    /**
     * How far ahead of expiry a sweep plans the background refresh of a recently read key: the refresh's margin
     * plus two sweeps, so that some sweep sees the entry before its refresh is due. (With only the larger of the
     * two, a short sweep interval found entries already inside their margin, and the refresh started late.)
     * @param entry the entry
     * @param sweepMillis the sweep interval
     * @return milliseconds before expiry
     */
    public long leadMillis(CacheEntry entry, long sweepMillis) {
        return marginMillis(entry) + 2 * sweepMillis;
    }

    /**
     * How long before expiry a background refresh starts: three load times (more with a larger beta), and at
     * least {@value #MIN_MARGIN_MILLIS} ms so a busy machine's scheduling delay does not let the entry expire first.
     * @param entry the entry
     * @return milliseconds before expiry
     */
    public long marginMillis(CacheEntry entry) {
        long loadMillis = Math.max(1, entry.loadNanos() / 1_000_000L);
        return Math.max(MIN_MARGIN_MILLIS, (long) (3 * Math.max(1.0, this.beta) * loadMillis));
    }
}
