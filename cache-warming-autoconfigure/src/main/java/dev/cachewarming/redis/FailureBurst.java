package dev.cachewarming.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Whether failures come in a burst: {@code count} failures within {@code window}. The circuit breaker's failure
 * rate needs a share of its sliding window to fail; a Redis that stopped answering should not cost that many
 * callers a timeout each, and a failed Redis Cluster master fails only the commands for its slots while the other
 * masters answer, so counting failures "in a row" would never trip. Successes do not reset it.
 *
 * <p>Thread-safe and lock-free: the last {@code count} failure times are kept in a ring.
 */
public final class FailureBurst {

    private final int count;

    private final long windowNanos;

    private final AtomicLongArray times;

    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param count how many failures make a burst (at least 1)
     * @param window within how long
     */
    public FailureBurst(int count, Duration window) {
        if (count < 1) {
            throw new IllegalArgumentException("A burst needs at least one failure, not " + count);
        }
        this.count = count;
        this.windowNanos = window.toNanos();
        this.times = new AtomicLongArray(count);
        // A failure long ago in every slot: no burst until count real ones are recorded.
        long longAgo = System.nanoTime() - 2 * this.windowNanos - 1;
        for (int i = 0; i < count; i++) {
            this.times.set(i, longAgo);
        }
    }

    /**
     * Records a failure.
     * @param nanoTime when it happened, from {@link System#nanoTime()}
     * @return whether it completes a burst: {@code count} failures, this one included, within the window
     */
    public boolean record(long nanoTime) {
        int slot = Math.floorMod(this.next.getAndIncrement(), this.count);
        this.times.set(slot, nanoTime);
        // The next slot holds the oldest of the last count failures, this one included.
        long oldest = this.times.get((slot + 1) % this.count);
        return nanoTime - oldest <= this.windowNanos;
    }

    @Override
    public String toString() {
        return this.count + " within " + Duration.ofNanos(this.windowNanos);
    }
}
