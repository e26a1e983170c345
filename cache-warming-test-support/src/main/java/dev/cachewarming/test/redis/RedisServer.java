package dev.cachewarming.test.redis;

/**
 * A real Redis server that a test owns: it knows where it listens and can be stopped and started again on the
 * same port, so a test can inject an outage and a recovery.
 *
 * <p>Obtain one through {@link RedisServerExtension}; never mock Redis in its place.
 */
public interface RedisServer {

    /** @return the host clients connect to (a loopback address) */
    String host();

    /** @return the port clients connect to; stays the same across {@link #stop()} and {@link #start()} */
    int port();

    /** @return {@code redis://host:port} */
    default String uri() {
        return "redis://" + host() + ":" + port();
    }

    /** @return whether the server currently answers */
    boolean isRunning();

    /**
     * Starts the server (again) on the same port and waits until it answers {@code PING}.
     * A restarted server is empty: it keeps no data on disk.
     */
    void start();

    /** Stops the server; clients see refused connections until {@link #start()}. */
    void stop();

    /** Deletes every key (FLUSHALL), so tests sharing a server start clean. */
    void flushAll();

    /** Stops the server for good and releases its resources. */
    void close();

    /** @return a short description for logs and error messages, e.g. {@code redis-server process on port 41234} */
    String describe();
}
