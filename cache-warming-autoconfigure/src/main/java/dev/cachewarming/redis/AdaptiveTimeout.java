package dev.cachewarming.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The time a Redis command is given, from the latency Redis has shown lately: {@code multiplier} times the p99 of
 * the last {@value #WINDOW} successful commands, no less than {@code floor} and no more than {@code cap} (the
 * configured {@code command-timeout}). A healthy loopback Redis answers in about a millisecond, so a command that
 * has not answered after 20 ms will most likely not answer after 250 either: failing it then costs the caller 20 ms
 * instead of 250, and the circuit breaker opens after a few such failures.
 *
 * <p>A command that timed out is recorded as having taken its whole budget (it took at least that): on a machine
 * whose scheduling stalls make more than 1 % of commands time out, the timeout grows until they stop timing out,
 * instead of opening the circuit breaker again and again. A few timeouts in a row still open the breaker (that is
 * the runner's rule), and the healthy answers that follow bring the timeout back down within one window. Until
 * {@value #MIN_SAMPLES} commands are seen the timeout is the cap. Thread-safe and lock-free; the percentile is
 * recomputed every {@value #RECOMPUTE_EVERY} commands from a copy of the window (sorting 256 longs: microseconds).
 */
public final class AdaptiveTimeout {

    static final int WINDOW = 256;

    static final int MIN_SAMPLES = 64;

    static final int RECOMPUTE_EVERY = 32;

    private final long floorNanos;

    private final long capNanos;

    private final double multiplier;

    private final AtomicLongArray samples = new AtomicLongArray(WINDOW);

    private final AtomicLong recorded = new AtomicLong();

    private volatile long timeoutNanos;

    /**
     * @param floor the least time a command is given
     * @param cap the most time a command is given
     * @param multiplier how many times the recent p99 a command is given
     */
    public AdaptiveTimeout(Duration floor, Duration cap, double multiplier) {
        this.capNanos = cap.toNanos();
        this.floorNanos = Math.min(floor.toNanos(), this.capNanos);
        this.multiplier = multiplier;
        this.timeoutNanos = this.capNanos;
    }

    /** A fixed timeout: what a command is given when adaptation is switched off. */
    static AdaptiveTimeout fixed(Duration timeout) {
        return new AdaptiveTimeout(timeout, timeout, 1);
    }

    /** @return the time the next command is given, nanoseconds */
    public long timeoutNanos() {
        return this.timeoutNanos;
    }

    /** @return the time the next command is given */
    public Duration timeout() {
        return Duration.ofNanos(this.timeoutNanos);
    }

    /**
     * Records how long a command took to be answered, or the time it was given if it timed out.
     * @param nanos its latency
     */
    public void record(long nanos) {
        if (this.floorNanos == this.capNanos) {
            return;
        }
        long n = this.recorded.incrementAndGet();
        this.samples.set((int) ((n - 1) & (WINDOW - 1)), nanos);
        if (n >= MIN_SAMPLES && n % RECOMPUTE_EVERY == 0) {
            recompute((int) Math.min(n, WINDOW));
        }
    }

    private void recompute(int size) {
        long[] copy = new long[size];
        for (int i = 0; i < size; i++) {
            copy[i] = this.samples.get(i);
        }
        Arrays.sort(copy);
        long p99 = copy[Math.min(size - 1, (int) Math.ceil(size * 0.99) - 1)];
        long timeout = (long) (p99 * this.multiplier);
        this.timeoutNanos = Math.max(this.floorNanos, Math.min(this.capNanos, timeout));
    }
}
