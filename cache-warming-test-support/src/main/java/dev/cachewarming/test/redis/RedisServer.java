package dev.cachewarming.test.redis;

/**
 * A real Redis server that a test owns: it knows where it listens and can be stopped and started again on the
 * same port, so a test can inject an outage and a recovery.
 *
 * <p>The faults production sees are all here: {@link #pause()} freezes the server with its connections open (a
 * fork for an RDB or AOF rewrite, a VM stall, a network partition: commands get no answer), {@link #kill()} ends
 * it at once (connections are reset, data is lost) and {@link #restart()} brings it back empty on the same port.
 *
 * <pre>{@code
 * redis.pause();     // SIGSTOP: clients' commands hang until their timeouts
 * redis.resume();    // SIGCONT: it answers what it received meanwhile
 * redis.kill();      // SIGKILL: connections reset
 * redis.restart();   // same port, no data
 * }</pre>
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

    /**
     * Freezes the server (SIGSTOP; {@code docker pause} for a container). Its connections stay open and new ones
     * are accepted by the kernel, but nothing is answered until {@link #resume()}. Does nothing if it is paused.
     */
    void pause();

    /** Lets a paused server run again (SIGCONT): it answers the commands it received meanwhile. */
    void resume();

    /** @return whether the server is paused by {@link #pause()} */
    boolean isPaused();

    /**
     * Kills the server at once (SIGKILL), paused or not: clients see reset connections, then refused ones, and
     * every key is lost. {@link #restart()} or {@link #start()} brings it back.
     */
    void kill();

    /**
     * Kills the server if it runs, then starts it again on the same port, empty, and waits until it answers
     * {@code PING}.
     */
    default void restart() {
        kill();
        start();
    }

    /** Deletes every key (FLUSHALL), so tests sharing a server start clean. */
    void flushAll();

    /** Stops the server for good and releases its resources. */
    void close();

    /** @return a short description for logs and error messages, e.g. {@code redis-server process on port 41234} */
    String describe();
}
