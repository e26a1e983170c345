package dev.cachewarming.warming;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Samples the calls of one warmable method and keeps the heaviest hitters among them.
 *
 * <p>The caller's cost is the sampling decision (one random number) and, for the sampled few, one count in a
 * concurrent map: no lock on the call path. A background task {@link #drain() drains} the counts into a
 * {@link SpaceSavingSummary} now and then, and {@link #takeForPersist(int) hands them} to a {@link HotKeyStore}.
 * Calls made while warming are not recorded, so warming does not feed itself.
 */
public final class HotKeyRecorder {

    private static final ThreadLocal<Boolean> WARMING = new ThreadLocal<>();

    private final double sampleRate;

    private final int maxPending;

    private final Map<Object, LongAdder> pending = new ConcurrentHashMap<>();

    private final SpaceSavingSummary<Object> summary;

    private final SpaceSavingSummary<Object> lifetime;

    private volatile double topRatePerSecond;

    private volatile Object topKey;

    private volatile List<Object> lastDrained = List.of();

    private long lastDrainNanos = System.nanoTime();

    /**
     * @param sampleRate the fraction of calls recorded, in (0, 1]
     * @param capacity the most keys the summary counts
     */
    public HotKeyRecorder(double sampleRate, int capacity) {
        this.sampleRate = sampleRate;
        this.maxPending = Math.max(1000, capacity * 4);
        this.summary = new SpaceSavingSummary<>(capacity);
        this.lifetime = new SpaceSavingSummary<>(capacity);
    }

    /**
     * Runs {@code work} as warming: calls it makes are not recorded.
     * @param work the warming work
     * @throws Exception what the work throws
     */
    public static void asWarming(WarmingWork work) throws Exception {
        Boolean previous = WARMING.get();
        WARMING.set(Boolean.TRUE);
        try {
            work.run();
        }
        finally {
            if (previous == null) {
                WARMING.remove();
            }
        }
    }

    /** Warming work. */
    @FunctionalInterface
    public interface WarmingWork {

        /** @throws Exception what the work throws */
        void run() throws Exception;
    }

    /** @return whether this call should be recorded; cheap, and false during warming */
    public boolean sample() {
        return ThreadLocalRandom.current().nextDouble() < this.sampleRate && WARMING.get() == null;
    }

    /**
     * Counts a sampled call.
     * @param argumentsKey the call's arguments, as a key with value equality
     */
    public void record(Object argumentsKey) {
        LongAdder count = this.pending.get(argumentsKey);
        if (count == null) {
            if (this.pending.size() >= this.maxPending) {
                return;
            }
            count = this.pending.computeIfAbsent(argumentsKey, (k) -> new LongAdder());
        }
        count.increment();
    }

    /** Moves the sampled counts into the summary, and estimates the hottest key's request rate. */
    public synchronized void drain() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - this.lastDrainNanos) / 1e9);
        this.lastDrainNanos = now;
        double top = 0;
        Object hottest = null;
        List<Object> drained = new ArrayList<>();
        for (Map.Entry<Object, LongAdder> entry : this.pending.entrySet()) {
            long count = entry.getValue().sumThenReset();
            if (count > 0) {
                if (drained.size() < 1000) {
                    drained.add(entry.getKey());
                }
                this.summary.add(entry.getKey(), count);
                this.lifetime.add(entry.getKey(), count);
                if (count > top) {
                    top = count;
                    hottest = entry.getKey();
                }
            }
            else {
                this.pending.remove(entry.getKey(), entry.getValue());
            }
        }
        this.lastDrained = drained;
        this.topRatePerSecond = top / this.sampleRate / seconds;
        this.topKey = hottest;
    }

    /**
     * @param limit the most keys
     * @return the keys counted since the last call, most counted first; the summary starts over
     */
    public synchronized List<SpaceSavingSummary.Counted<Object>> takeForPersist(int limit) {
        drain();
        List<SpaceSavingSummary.Counted<Object>> top = this.summary.top(limit);
        this.summary.decay(0);
        return new ArrayList<>(top);
    }

    /**
     * @param limit the most keys
     * @return the hottest keys since startup, with estimated call counts (sampled counts over the sample rate)
     */
    public synchronized List<SpaceSavingSummary.Counted<Object>> hottest(int limit) {
        List<SpaceSavingSummary.Counted<Object>> scaled = new ArrayList<>();
        for (SpaceSavingSummary.Counted<Object> counted : this.lifetime.top(limit)) {
            scaled.add(new SpaceSavingSummary.Counted<>(counted.key(), counted.count() / this.sampleRate,
                    counted.error() / this.sampleRate));
        }
        return scaled;
    }

    /** @return the distinct keys sampled in the last drain interval (at most 1000) */
    public List<Object> lastDrained() {
        return this.lastDrained;
    }

    /** @return the estimated requests per second of the hottest key over the last drain interval */
    public double topRatePerSecond() {
        return this.topRatePerSecond;
    }

    /** @return the hottest key of the last drain interval, or {@code null} */
    public Object topKey() {
        return this.topKey;
    }
}
