package dev.cachewarming.warming;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heaviest hitters of a stream of keys in bounded memory: the Space-Saving algorithm (Metwally, Agrawal and
 * El Abbadi, ICDT 2005). At most {@code capacity} keys are counted; a new key replaces the least counted one and
 * inherits its count as its error bound, so any key seen more than {@code total / capacity} times is kept.
 *
 * <p>Hand-written on purpose: Apache DataSketches' frequent-items sketch would do, but no release runs on both
 * Java 17 and 25 (6.x fails on 25, 8.x needs 21). Summaries merge (counts from several sources add up) and decay
 * (older traffic weighs less).
 *
 * <p>Not thread-safe: {@link HotKeyRecorder} feeds it from one thread.
 *
 * @param <K> the key type (with value equality)
 */
public final class SpaceSavingSummary<K> {

    private final int capacity;

    private final Map<K, double[]> counters = new HashMap<>();

    /**
     * @param capacity the most keys counted
     */
    public SpaceSavingSummary(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @param key a key seen
     * @param weight how many times
     */
    public void add(K key, double weight) {
        double[] counter = this.counters.get(key);
        if (counter != null) {
            counter[0] += weight;
            return;
        }
        if (this.counters.size() < this.capacity) {
            this.counters.put(key, new double[] { weight, 0 });
            return;
        }
        K smallest = null;
        double smallestCount = Double.MAX_VALUE;
        for (Map.Entry<K, double[]> entry : this.counters.entrySet()) {
            if (entry.getValue()[0] < smallestCount) {
                smallestCount = entry.getValue()[0];
                smallest = entry.getKey();
            }
        }
        this.counters.remove(smallest);
        this.counters.put(key, new double[] { smallestCount + weight, smallestCount });
    }

    /**
     * @param other a summary whose counts are added to this one
     */
    public void merge(SpaceSavingSummary<K> other) {
        other.counters.forEach((key, counter) -> add(key, counter[0]));
    }

    /**
     * @param factor multiplies every count, e.g. 0.5 to halve the weight of what was seen so far
     */
    public void decay(double factor) {
        this.counters.values().forEach((counter) -> {
            counter[0] *= factor;
            counter[1] *= factor;
        });
    }

    /** @return how many keys are counted */
    public int size() {
        return this.counters.size();
    }

    /**
     * @param limit the most keys to return
     * @return the most counted keys, most counted first
     */
    public List<Counted<K>> top(int limit) {
        List<Counted<K>> all = new ArrayList<>(this.counters.size());
        this.counters.forEach((key, counter) -> all.add(new Counted<>(key, counter[0], counter[1])));
        all.sort(Comparator.comparingDouble((Counted<K> counted) -> counted.count()).reversed());
        return (all.size() > limit) ? new ArrayList<>(all.subList(0, limit)) : all;
    }

    /**
     * A key with its estimated count.
     *
     * @param key the key
     * @param count its estimated count (an overestimate by at most {@code error})
     * @param error the most the count may overestimate
     * @param <K> the key type
     */
    public record Counted<K>(K key, double count, double error) {
    }
}
