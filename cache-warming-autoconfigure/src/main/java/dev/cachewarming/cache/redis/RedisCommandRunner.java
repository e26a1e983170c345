package dev.cachewarming.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Runs the cache's Redis commands on Lettuce's asynchronous API with a short timeout of their own
 * ({@code cache-warming.redis.command-timeout}), whatever {@code spring.data.redis.timeout} says, under a
 * {@link CircuitBreaker}: once Redis fails often enough, commands are not sent at all until it has had time to
 * recover. A refused connection opens the breaker at once.
 *
 * <p>Commands given together are sent on one connection without waiting for each other (pipelined). Thread-safe.
 */
public final class RedisCommandRunner {

    private static final Log logger = LogFactory.getLog(RedisCommandRunner.class);

    private static final RedisTierException NOT_PERMITTED = new RedisTierException(
            "Redis is not called while the circuit breaker is open");

    private final RedisConnectionFactory connectionFactory;

    private final long timeoutNanos;

    private final CircuitBreaker breaker;

    /**
     * @param connectionFactory the application's Redis connection factory (Lettuce)
     * @param commandTimeout the most a command (or a pipelined group) may take
     * @param breaker the circuit breaker guarding Redis
     */
    public RedisCommandRunner(RedisConnectionFactory connectionFactory, Duration commandTimeout,
            CircuitBreaker breaker) {
        this.connectionFactory = connectionFactory;
        this.timeoutNanos = commandTimeout.toNanos();
        this.breaker = breaker;
    }

    /** @return whether commands are sent now (false while the circuit breaker is open) */
    public boolean isAvailable() {
        CircuitBreaker.State state = this.breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * Pings Redis as many times as the half-open breaker lets calls through, so that it closes (or opens again)
     * without waiting for traffic that misses L1. Failures only count against the breaker.
     * @param calls how many pings
     */
    public void probe(int calls) {
        for (int i = 0; i < calls; i++) {
            try {
                execute((redis) -> redis.ping());
            }
            catch (RuntimeException ex) {
                return;
            }
        }
    }

    /** @return the circuit breaker */
    public CircuitBreaker breaker() {
        return this.breaker;
    }

    /**
     * @param command issues one command
     * @param <T> its result type
     * @return its result
     * @throws RedisTierException if it failed, timed out or was not sent
     */
    public <T> T execute(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
        List<T> results = executeAll((redis) -> List.of(command.apply(redis)));
        return results.get(0);
    }

    /**
     * @param commands issues several commands, which are sent together
     * @param <T> their common result type
     * @return their results, in order
     * @throws RedisTierException if one failed, timed out or they were not sent
     */
    public <T> List<T> executeAll(
            Function<RedisClusterAsyncCommands<byte[], byte[]>, List<? extends RedisFuture<? extends T>>> commands) {
        if (!this.breaker.tryAcquirePermission()) {
            throw NOT_PERMITTED;
        }
        long start = System.nanoTime();
        try (RedisConnection connection = this.connectionFactory.getConnection()) {
            // Connecting is bounded by spring.data.redis.connect-timeout; the command budget starts now.
            long sent = System.nanoTime();
            List<? extends RedisFuture<? extends T>> futures = commands.apply(asyncCommands(connection));
            List<T> results = new ArrayList<>(futures.size());
            for (RedisFuture<? extends T> future : futures) {
                results.add(await(future, sent));
            }
            this.breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return results;
        }
        catch (RedisConnectionFailureException ex) {
            this.breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
            openNow(ex);
            throw new RedisTierException("Cannot connect to Redis: " + ex.getMessage(), ex);
        }
        catch (RuntimeException ex) {
            this.breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
            throw (ex instanceof RedisTierException) ? ex : new RedisTierException("Redis command failed", ex);
        }
    }

    /**
     * Sends many prepared commands with one write to the socket (Lettuce's {@code dispatch} of a collection),
     * where sending them one by one would flush once per command: what a batch of a thousand values costs most.
     * @param commands the commands
     * @param <T> their result type
     * @return their results, in order
     * @throws RedisTierException if one failed, timed out or they were not sent
     */
    public <T> List<T> dispatchAll(List<AsyncCommand<byte[], byte[], T>> commands) {
        return executeAll((redis) -> {
            statefulConnection(redis).dispatch(commands);
            return commands;
        });
    }

    @SuppressWarnings("unchecked")
    private static StatefulConnection<byte[], byte[]> statefulConnection(
            RedisClusterAsyncCommands<byte[], byte[]> redis) {
        if (redis instanceof RedisAsyncCommands<?, ?> standalone) {
            return (StatefulConnection<byte[], byte[]>) standalone.getStatefulConnection();
        }
        if (redis instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
            return (StatefulConnection<byte[], byte[]>) cluster.getStatefulConnection();
        }
        throw new IllegalStateException("Unexpected Lettuce API " + redis.getClass().getName());
    }

    private <T> T await(RedisFuture<T> future, long start) {
        long remaining = this.timeoutNanos - (System.nanoTime() - start);
        try {
            return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException ex) {
            // Lettuce queues commands while it reconnects; a cancelled one leaves the queue.
            future.cancel(true);
            throw new RedisTierException("Redis did not answer within " + Duration.ofNanos(this.timeoutNanos), ex);
        }
        catch (ExecutionException ex) {
            throw new RedisTierException("Redis command failed: " + ex.getCause().getMessage(), ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new RedisTierException("Interrupted while waiting for Redis", ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static RedisClusterAsyncCommands<byte[], byte[]> asyncCommands(RedisConnection connection) {
        Object nativeConnection = connection.getNativeConnection();
        if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
            return (RedisClusterAsyncCommands<byte[], byte[]>) commands;
        }
        throw new IllegalStateException("The Redis tier needs Lettuce (Spring Boot's default client), found "
                + nativeConnection.getClass().getName());
    }

    private void openNow(RuntimeException cause) {
        CircuitBreaker.State state = this.breaker.getState();
        if (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN) {
            logger.debug("Redis refused the connection; opening the circuit breaker now", cause);
            this.breaker.transitionToOpenState();
        }
    }
}
