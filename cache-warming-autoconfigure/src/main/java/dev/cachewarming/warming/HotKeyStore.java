package dev.cachewarming.warming;

import java.util.List;

/**
 * Where the hot keys of each cache are remembered between restarts: the shared tier when there is one (counts of
 * every instance add up, so each warms what the fleet found hot), otherwise a local file. A port of the shared tier
 * (see {@code cache.SecondLevel}), implemented by {@code dev.cachewarming.redis.RedisHotKeyStore} (a sorted set per
 * cache), {@code dev.cachewarming.memcached.MemcachedHotKeyStore} (a JSON item per cache, saved by a CAS loop) and,
 * in the core, {@link FileHotKeyStore}.
 *
 * <p>What every implementation guarantees: concurrent saves from several instances add up (none overwrites
 * another's counts); {@link #load} returns at most {@code limit} keys, most counted first, and an empty list when
 * nothing is stored or what is stored was lost (evicted, expired): warming then goes on without remembered keys.
 * A store may throw from either method (a {@code cache.SharedTierException} for a shared store); the caller logs
 * it and carries on. Thread-safe.
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
