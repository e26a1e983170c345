package dev.cachewarming.warming;

import java.util.List;

/**
 * Where the hot keys of each cache are remembered between restarts: Redis when it is configured (counts of every
 * instance add up, so each warms what the fleet found hot), otherwise a local file.
 */
public interface HotKeyStore {

    /**
     * Adds newly counted keys to what is stored, after weighing the stored counts down by {@code decay}, and keeps
     * the {@code keep} most counted.
     * @param cache the cache name
     * @param counts the encoded keys (arguments) counted since the last save, with their counts
     * @param decay multiplies the stored counts first (e.g. 0.5)
     * @param keep the most keys to keep
     */
    void save(String cache, List<SpaceSavingSummary.Counted<String>> counts, double decay, int keep);

    /**
     * @param cache the cache name
     * @param limit the most keys to return
     * @return the stored keys, most counted first
     */
    List<SpaceSavingSummary.Counted<String>> load(String cache, int limit);

    /** @return a short description for logs, e.g. {@code Redis sorted sets} */
    String describe();
}
