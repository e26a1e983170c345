package dev.cachewarming.tools;

import java.util.List;
import java.util.function.Consumer;

/** Reads a cache's entries from a shared store, in batches (a port; Redis in {@code dev.cachewarming.redis.write}). */
public interface DumpSource {

    /**
     * Calls {@code batches} with every entry of the cache, a batch at a time. An entry that expires while the scan
     * runs is left out; each batch is read at its own moment (the dump is not a snapshot).
     * @param cache the cache name
     * @param batchSize entries per batch, about
     * @param batches receives each batch
     */
    void readAll(String cache, int batchSize, Consumer<List<DumpEntry>> batches);
}
