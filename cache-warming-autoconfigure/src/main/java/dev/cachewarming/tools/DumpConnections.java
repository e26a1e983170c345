package dev.cachewarming.tools;

/** Opens the store a dump is read from or populated into: the application's Redis, for the endpoint. */
@FunctionalInterface
public interface DumpConnections {

    /** @return a connection, to be closed when the dump or populate ends */
    DumpConnection open();
}
