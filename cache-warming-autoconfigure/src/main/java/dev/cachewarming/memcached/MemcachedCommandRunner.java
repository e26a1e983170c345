package dev.cachewarming.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import net.rubyeye.xmemcached.MemcachedClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs the tier's Memcached commands with a timeout of their own and a circuit breaker, so that a slow or absent
 * Memcached costs a caller at most the command timeout, and nothing while the breaker is open.
 *
 * <p>xmemcached fails a command at once when no connection to its server is up ("no available connection"): that
 * opens the breaker at once, as a refused connection does for Redis. Thread-safe.
 */
public final class MemcachedCommandRunner implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(MemcachedCommandRunner.class);

    private final MemcachedClient client;

    private final long timeoutMillis;

    private final CircuitBreaker breaker;

    /**
     * A command on the client, given the time it may take.
     *
     * @param <T> its result
     */
    @FunctionalInterface
    public interface Command<T> {

        /**
         * @param client the client
         * @param timeoutMillis the time the command may take
         * @return its result
         * @throws Exception if it fails or times out
         */
        T run(MemcachedClient client, long timeoutMillis) throws Exception;
    }

    /**
     * @param client the client, connected to the configured servers
     * @param commandTimeout the most time one command may take
     * @param breaker the breaker that stops calls while Memcached fails
     */
    public MemcachedCommandRunner(MemcachedClient client, Duration commandTimeout, CircuitBreaker breaker) {
        this.client = client;
        this.timeoutMillis = Math.max(1, commandTimeout.toMillis());
        this.breaker = breaker;
    }

    /** @return whether commands are worth trying now (false while the breaker is open) */
    public boolean isAvailable() {
        CircuitBreaker.State state = this.breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /** @return the circuit breaker */
    public CircuitBreaker breaker() {
        return this.breaker;
    }

    /** @return the client, for what the tier does outside the breaker (key dumps, node copies) */
    public MemcachedClient client() {
        return this.client;
    }

    /** @return the configured servers, in order */
    public List<InetSocketAddress> servers() {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String description : this.client.getServersDescription()) {
            // "host:port" or "host:port(weight=n)"; a bare IPv6 address would not survive this split: use names.
            String address = description.split("\\(")[0];
            int colon = address.lastIndexOf(':');
            servers.add(InetSocketAddress.createUnresolved(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))));
        }
        return servers;
    }

    /**
     * @param command the command
     * @param <T> its result
     * @return its result
     * @throws MemcachedTierException if it failed, timed out or the breaker is open
     */
    public <T> T execute(Command<T> command) {
        return execute(command, this.timeoutMillis);
    }

    /**
     * Runs a command carrying many keys, with time in proportion to them: the command timeout plus 250 µs per
     * key, as the Redis tier gives its batches.
     * @param keys the keys the command carries
     * @param command the command
     * @param <T> its result
     * @return its result
     * @throws MemcachedTierException if it failed, timed out or the breaker is open
     */
    public <T> T executeBatch(int keys, Command<T> command) {
        return execute(command, this.timeoutMillis + keys / 4);
    }

    private <T> T execute(Command<T> command, long timeoutMillis) {
        if (!this.breaker.tryAcquirePermission()) {
            throw new MemcachedTierException("Memcached is not called while its circuit breaker is open", null);
        }
        long start = System.nanoTime();
        try {
            T result = command.run(this.client, timeoutMillis);
            this.breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.breaker.releasePermission();
            throw new MemcachedTierException("Interrupted while waiting for Memcached", ex);
        }
        catch (Exception ex) {
            this.breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
            if (isDisconnected(ex)) {
                openNow(ex);
            }
            throw new MemcachedTierException("Memcached command failed: " + ex.getMessage(), ex);
        }
    }

    /**
     * Sends a few cheap commands (a version request to every server) so that a half-open breaker decides at
     * once, without waiting for traffic that misses L1.
     * @param calls how many requests
     */
    public void probe(int calls) {
        for (int i = 0; i < calls; i++) {
            try {
                execute((memcached, timeout) -> memcached.getVersions(timeout));
            }
            catch (MemcachedTierException ex) {
                logger.debug("Memcached probe failed", ex);
                return;
            }
        }
    }

    private static boolean isDisconnected(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("no available connection")) {
                return true;
            }
        }
        return false;
    }

    private void openNow(Exception cause) {
        CircuitBreaker.State state = this.breaker.getState();
        if (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN) {
            logger.debug("No connection to Memcached; opening the circuit breaker now", cause);
            this.breaker.transitionToOpenState();
        }
    }

    @Override
    public void close() {
        try {
            this.client.shutdown();
        }
        catch (IOException ex) {
            logger.debug("Error while closing the Memcached client", ex);
        }
    }
}
