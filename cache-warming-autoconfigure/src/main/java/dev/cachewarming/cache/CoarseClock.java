package dev.cachewarming.cache;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A wall clock and a Caffeine {@link Ticker} with millisecond resolution whose reads are a volatile load.
 *
 * <p>Why: reading the system clock costs tens of nanoseconds on common virtual machines, and a cache hit would
 * otherwise read it several times (entry freshness, refresh-ahead, Caffeine's expiry). One daemon thread,
 * {@code cache-warming-clock}, refreshes both values every millisecond; cache TTLs do not need more precision.
 */
public final class CoarseClock extends Clock implements Ticker {

    /** The shared instance; its thread starts on first use. */
    public static final CoarseClock INSTANCE = new CoarseClock();

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private volatile long millis = System.currentTimeMillis();

    private volatile long nanos = System.nanoTime();

    private CoarseClock() {
        Thread thread = new Thread(this::tick, "cache-warming-clock");
        thread.setDaemon(true);
        thread.start();
    }

    private void tick() {
        while (true) {
            LockSupport.parkNanos(PERIOD_NANOS);
            this.millis = System.currentTimeMillis();
            this.nanos = System.nanoTime();
        }
    }

    @Override
    public long millis() {
        return this.millis;
    }

    @Override
    public long read() {
        return this.nanos;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(this.millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
