package dev.cachewarming.warming;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.GradientLimit;
import com.netflix.concurrency.limits.limiter.BlockingLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;

/**
 * Bounds the loads of one cache's warm-up that run at once (batch queries, or single loads key by key).
 *
 * <p>Adaptive, the bound is Netflix concurrency-limits' {@link GradientLimit}: it starts at one load (a slow
 * start, as TCP's) and grows while the loader's latency stays near the lowest latency seen (no queueing), up to
 * {@code max}; when the latency rises past 1.5 times that (the database is queueing), it shrinks, down to one.
 * ({@code Gradient2Limit} compares with a long-term average instead, which a short warm-up that saturates the
 * database from its first loads drags up: it did not back off in {@code LoadConcurrencyLimitTests}.) So a warm-up
 * that would only pile up connections on a saturated database backs off instead, and a healthy database is
 * given {@code max}. Fixed, the bound is {@code max}.
 *
 * <p>Callers beyond the bound wait (they are warm-up threads, not user requests). Thread-safe.
 */
final class LoadConcurrencyLimit {

    private static final Duration MAX_WAIT = Duration.ofMinutes(59);

    private final Limit limit;

    private final Limiter<Void> limiter;

    private final int max;

    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile int maxInFlight;

    private final java.util.concurrent.atomic.LongAdder busyNanos = new java.util.concurrent.atomic.LongAdder();

    private LoadConcurrencyLimit(Limit limit, int max, Duration longestWait) {
        this.limit = limit;
        this.max = max;
        // BlockingLimiter refuses waits of an hour or more; a warm-up waits no longer than its budget anyway.
        Duration wait = (longestWait.compareTo(MAX_WAIT) < 0) ? longestWait : MAX_WAIT;
        this.limiter = BlockingLimiter.wrap(SimpleLimiter.newBuilder().limit(limit).build(), wait);
    }

    /**
     * @param max the most loads at once
     * @param longestWait the longest a load may wait for its turn
     * @return a bound that adapts to the loader's latency, between 1 and {@code max}
     */
    static LoadConcurrencyLimit adaptive(int max, Duration longestWait) {
        GradientLimit gradient = GradientLimit.newBuilder()
            .initialLimit(1)
            .minLimit(1)
            .maxConcurrency(max)
            // A queue of one load, and half a load more per fast sample, instead of the library's defaults for RPC
            // servers (a queue of at least 4, smoothing 0.2): a warm-up takes few samples, and a database needs
            // little queue to stay busy.
            .rttTolerance(1.5)
            .queueSize(1)
            .smoothing(0.2)
            // The library re-measures the no-load latency every 30 x limit samples by dropping to the queue size;
            // a warm-up is short and its database's no-load latency does not drift within it.
            .probeMultiplier(1_000)
            .build();
        return new LoadConcurrencyLimit(gradient, max, longestWait);
    }

    /**
     * @param max the loads at once
     * @param longestWait the longest a load may wait for its turn
     * @return a fixed bound
     */
    static LoadConcurrencyLimit fixed(int max, Duration longestWait) {
        return new LoadConcurrencyLimit(FixedLimit.of(max), max, longestWait);
    }

    /**
     * Runs one load when its turn comes.
     * @param load the load
     * @param <T> its result
     * @return its result
     * @throws LoadNotStartedException if the turn did not come within the longest wait
     * @throws Exception what the load threw
     */
    <T> T run(Callable<T> load) throws Exception {
        Optional<Limiter.Listener> permit = this.limiter.acquire(null);
        if (permit.isEmpty()) {
            throw new LoadNotStartedException();
        }
        int now = this.inFlight.incrementAndGet();
        if (now > this.maxInFlight) {
            this.maxInFlight = now;
        }
        long start = System.nanoTime();
        try {
            T result = load.call();
            permit.get().onSuccess();
            return result;
        }
        catch (Exception | Error ex) {
            // A failure says nothing of the database's queue: do not let its latency move the limit.
            permit.get().onIgnore();
            throw ex;
        }
        finally {
            this.inFlight.decrementAndGet();
            this.busyNanos.add(System.nanoTime() - start);
        }
    }

    /** @return the current bound */
    int current() {
        return this.limit.getLimit();
    }

    /** @return the most loads that ran at once so far */
    int maxInFlight() {
        return this.maxInFlight;
    }

    /** @return the time spent in loads so far, summed over the loads (divided by the run's time: loads at once) */
    long busyNanos() {
        return this.busyNanos.sum();
    }

    /** @return the configured most loads at once */
    int max() {
        return this.max;
    }

    /** A load that did not get its turn in time. */
    static final class LoadNotStartedException extends Exception {

        LoadNotStartedException() {
            super("No load slot within the warm-up's budget", null, false, false);
        }
    }
}
