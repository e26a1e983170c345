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

    /** What a command that carries many keys is given per key, on top of the command timeout. */
    static final long BATCH_ALLOWANCE_MICROS = 250;

    private final java.util.concurrent.Semaphore batchesInFlight = new java.util.concurrent.Semaphore(4);

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

    /**
     * @return whether the connection factory talks to a Redis Cluster (then a command may only carry keys of one
     * hash slot); answered by the factory's configuration, without connecting
     */
    public boolean isCluster() {
        Boolean cluster = this.cluster;
        if (cluster == null) {
            cluster = (this.connectionFactory instanceof org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory lettuce)
                    && lettuce.isClusterAware();
            this.cluster = cluster;
        }
        return cluster;
    }

    private volatile Boolean cluster;

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
        return executeAll(commands, this.timeoutNanos);
    }

    /**
     * {@link #executeAll(Function)} for commands that carry many keys (an {@code MGET}, a pipeline of a batch):
     * they get the command timeout plus {@value #BATCH_ALLOWANCE_MICROS} microseconds per key, since a thousand
     * values take Redis and the connection longer than one; without it a busy machine times out healthy batches
     * and opens the breaker.
     * @param keys the keys the commands carry
     * @param commands issues the commands, which are sent together
     * @param <T> their common result type
     * @return their results, in order
     * @throws RedisTierException if one failed, timed out or they were not sent
     */
    public <T> List<T> executeBatch(int keys,
            Function<RedisClusterAsyncCommands<byte[], byte[]>, List<? extends RedisFuture<? extends T>>> commands) {
        // Batches share the application's one Lettuce connection: more than four in flight only queue on it (and
        // their time in that queue would count against their timeout), so the others wait here instead.
        try {
            this.batchesInFlight.acquire();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RedisTierException("Interrupted while waiting to send a batch to Redis", ex);
        }
        try {
            return executeAll(commands,
                    this.timeoutNanos + TimeUnit.MICROSECONDS.toNanos(BATCH_ALLOWANCE_MICROS * keys));
        }
        finally {
            this.batchesInFlight.release();
        }
    }

    private <T> List<T> executeAll(
            Function<RedisClusterAsyncCommands<byte[], byte[]>, List<? extends RedisFuture<? extends T>>> commands,
            long budgetNanos) {
        if (!this.breaker.tryAcquirePermission()) {
            throw NOT_PERMITTED;
        }
        long start = System.nanoTime();
        try (RedisConnection connection = this.connectionFactory.getConnection()) {
            // Connecting is bounded by spring.data.redis.connect-timeout; the command budget starts now.
            long sent = System.nanoTime();
            List<? extends RedisFuture<? extends T>> futures = commands.apply(asyncCommands(connection));
            List<T> results = new ArrayList<>(futures.size());
            try {
                for (RedisFuture<? extends T> future : futures) {
                    results.add(await(future, sent, budgetNanos));
                }
            }
            catch (RuntimeException ex) {
                // The caller gives up on all of them: none still queued (say, while Lettuce reconnects) may run later.
                futures.forEach((future) -> future.cancel(true));
                throw ex;
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
        return executeBatch(commands.size(), (redis) -> {
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

    private <T> T await(RedisFuture<T> future, long start, long budgetNanos) {
        long remaining = budgetNanos - (System.nanoTime() - start);
        try {
            return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException ex) {
            // Lettuce queues commands while it reconnects; a cancelled one leaves the queue.
            future.cancel(true);
            throw new RedisTierException("Redis did not answer within " + Duration.ofNanos(budgetNanos), ex);
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
