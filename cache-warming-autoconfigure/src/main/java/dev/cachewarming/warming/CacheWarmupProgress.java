package dev.cachewarming.warming;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.cachewarming.annotation.WarmupTier;

/**
 * Running counts of one cache's warm-up. Thread-safe; read by the endpoint, the meters and the progress log.
 */
public final class CacheWarmupProgress {

    private final String cache;

    private final WarmupTier tier;

    private final WarmupLoadMode loadMode;

    volatile LoadConcurrencyLimit concurrency;

    final LongAdder fromL2 = new LongAdder();

    final LongAdder loaded = new LongAdder();

    final LongAdder failed = new LongAdder();

    final LongAdder skipped = new LongAdder();

    final Map<String, Integer> sources = new ConcurrentHashMap<>();

    volatile int planned;

    volatile long startedNanos;

    volatile long endedNanos;

    volatile String sourceError;

    private final long[] earlierRuns;

    CacheWarmupProgress(String cache, WarmupTier tier, WarmupLoadMode loadMode) {
        this(cache, tier, loadMode, null);
    }

    CacheWarmupProgress(String cache, WarmupTier tier, WarmupLoadMode loadMode, CacheWarmupProgress previous) {
        this.cache = cache;
        this.tier = tier;
        this.loadMode = loadMode;
        this.earlierRuns = (previous != null) ? new long[] { previous.total("l2"), previous.total("loaded"),
                previous.total("failed"), previous.total("skipped") } : new long[4];
    }

    /**
     * @param result {@code l2}, {@code loaded}, {@code failed} or {@code skipped}
     * @return the count of that result over every run since startup (never decreases)
     */
    public long total(String result) {
        return switch (result) {
            case "l2" -> this.earlierRuns[0] + fromL2();
            case "loaded" -> this.earlierRuns[1] + loaded();
            case "failed" -> this.earlierRuns[2] + failed();
            case "skipped" -> this.earlierRuns[3] + skipped();
            default -> throw new IllegalArgumentException(result);
        };
    }

    /** @return the cache name */
    public String cache() {
        return this.cache;
    }

    /** @return the tier */
    public WarmupTier tier() {
        return this.tier;
    }

    /** @return how keys that Redis did not hold are loaded */
    public WarmupLoadMode loadMode() {
        return this.loadMode;
    }

    /**
     * @return the bound on loads at once in this run: its current value (adaptive) or the configured one; 0
     * before loading started
     */
    public int concurrencyLimit() {
        LoadConcurrencyLimit limit = this.concurrency;
        return (limit != null) ? limit.current() : 0;
    }

    /** @return the most loads that ran at once in this run */
    public int maxConcurrentLoads() {
        LoadConcurrencyLimit limit = this.concurrency;
        return (limit != null) ? limit.maxInFlight() : 0;
    }

    /** @return the loads that ran at once on average over this run (time in loads divided by the run's time) */
    public double meanConcurrentLoads() {
        LoadConcurrencyLimit limit = this.concurrency;
        long elapsed = elapsed().toNanos();
        return (limit == null || elapsed <= 0) ? 0 : limit.busyNanos() / (double) elapsed;
    }

    /** @return keys planned (after merging the sources and removing duplicates) */
    public int planned() {
        return this.planned;
    }

    /** @return candidates from remembered traffic */
    public int remembered() {
        return this.sources.getOrDefault("remembered", 0);
    }

    /** @return candidates from the declared source */
    public int declared() {
        return this.sources.getOrDefault("declared", 0);
    }

    /** @return candidates by source ({@code remembered}, {@code declared}, {@code access-log}, {@code shadow}) */
    public Map<String, Integer> sources() {
        return new java.util.TreeMap<>(this.sources);
    }

    /** @return keys copied from Redis */
    public long fromL2() {
        return this.fromL2.sum();
    }

    /** @return keys loaded through the method or its batch method */
    public long loaded() {
        return this.loaded.sum();
    }

    /** @return keys whose load failed */
    public long failed() {
        return this.failed.sum();
    }

    /** @return keys not warmed because the budget ran out */
    public long skipped() {
        return this.skipped.sum();
    }

    /** @return keys handled so far, whatever the outcome */
    public long done() {
        return fromL2() + loaded() + failed() + skipped();
    }

    /** @return the fraction of planned keys handled, 0 to 1 (1 when nothing was planned) */
    public double progress() {
        return (this.planned == 0) ? (isFinished() ? 1.0 : 0.0) : Math.min(1.0, done() / (double) this.planned);
    }

    /** @return whether this cache's warm-up ended */
    public boolean isFinished() {
        return this.endedNanos != 0;
    }

    /** @return time spent so far, or in all once finished */
    public Duration elapsed() {
        if (this.startedNanos == 0) {
            return Duration.ZERO;
        }
        long end = (this.endedNanos != 0) ? this.endedNanos : System.nanoTime();
        return Duration.ofNanos(end - this.startedNanos);
    }

    /** @return keys handled per second so far */
    public double keysPerSecond() {
        double seconds = elapsed().toNanos() / 1e9;
        return (seconds <= 0) ? 0 : (fromL2() + loaded() + failed()) / seconds;
    }

    /** @return the estimated time left at the current rate; zero once finished, {@code null} if unknown */
    public Duration eta() {
        if (isFinished()) {
            return Duration.ZERO;
        }
        double rate = keysPerSecond();
        long left = this.planned - done();
        return (rate <= 0) ? null : Duration.ofMillis((long) (left / rate * 1000));
    }

    /** @return why a source could not be read, or {@code null} */
    public String sourceError() {
        return this.sourceError;
    }
}
