package dev.cachewarming.tools;

/**
 * A store opened for one dump or populate, closed when it ends: what the {@code cachedumps} endpoint is given.
 */
public interface DumpConnection extends DumpSource, PopulateTarget, AutoCloseable {

    /** @return the store's name, for the progress file (one per target) */
    String name();

    @Override
    void close();
}
