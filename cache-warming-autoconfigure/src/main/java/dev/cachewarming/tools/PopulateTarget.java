package dev.cachewarming.tools;

import java.util.List;

/** Writes dumped entries into a shared store (a port; Redis in {@code dev.cachewarming.redis.write}). */
public interface PopulateTarget {

    /**
     * Writes a batch; a key the store already holds keeps its value (it is at least as new as the dump's).
     * @param cache the cache name
     * @param entries the entries, each with the TTL it has left now (positive)
     * @return how many were written
     */
    int writeAll(String cache, List<DumpEntry> entries);
}
