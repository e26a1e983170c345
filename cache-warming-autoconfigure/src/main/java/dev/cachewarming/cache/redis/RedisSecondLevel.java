package dev.cachewarming.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.cachewarming.cache.SecondLevel;
import dev.cachewarming.cache.ValueJson;

/**
 * The Redis tier (L2), on the application's Spring Data Redis {@link RedisConnectionFactory} (Lettuce).
 *
 * <p>Every command runs on Lettuce's asynchronous API with this tier's own short timeout
 * ({@code cache-warming.redis.command-timeout}), whatever {@code spring.data.redis.timeout} says, so a slow or
 * absent Redis costs a caller at most that long. A {@link CircuitBreaker} watches the outcomes: once Redis fails
 * often enough it opens, {@link #isAvailable()} turns false and callers skip Redis altogether; after
 * {@code open-duration} a few calls probe it and, if they succeed, Redis is used again. A refused connection
 * opens the breaker at once.
 *
 * <p>Writes and deletes are sent together with their invalidation message on one connection (pipelined).
 * Thread-safe.
 */
public final class RedisSecondLevel implements SecondLevel {

    private static final Log logger = LogFactory.getLog(RedisSecondLevel.class);

    private static final RedisTierException NOT_PERMITTED = new RedisTierException(
            "Redis is not called while the circuit breaker is open");

    private final RedisConnectionFactory connectionFactory;

    private final RedisKeys keys;

    private final long timeoutNanos;

    private final CircuitBreaker breaker;

    private final ValueJson json;

    private final String instanceId;

    private final byte[] channel;

    /**
     * @param connectionFactory the application's Redis connection factory (Lettuce)
     * @param keys how entries are named
     * @param commandTimeout the most a command may take
     * @param breaker the circuit breaker guarding Redis
     * @param json JSON support for invalidation messages
     * @param instanceId this instance's id, sent with every invalidation
     */
    public RedisSecondLevel(RedisConnectionFactory connectionFactory, RedisKeys keys, Duration commandTimeout,
            CircuitBreaker breaker, ValueJson json, String instanceId) {
        this.connectionFactory = connectionFactory;
        this.keys = keys;
        this.timeoutNanos = commandTimeout.toNanos();
        this.breaker = breaker;
        this.json = json;
        this.instanceId = instanceId;
        this.channel = RedisKeys.bytes(keys.invalidationChannel());
    }

    /** @return the circuit breaker's state, for health and metrics */
    public CircuitBreaker.State breakerState() {
        return this.breaker.getState();
    }

    @Override
    public boolean isAvailable() {
        CircuitBreaker.State state = this.breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    @Override
    public byte[] get(String cache, String key) {
        return execute((redis) -> redis.get(RedisKeys.bytes(this.keys.key(cache, key))));
    }

    @Override
    public void set(String cache, String key, byte[] value, long ttlMillis) {
        byte[] redisKey = RedisKeys.bytes(this.keys.key(cache, key));
        byte[] message = this.json.writeBytes(new InvalidationMessage(this.instanceId, cache, key));
        executeAll((redis) -> List.of(redis.set(redisKey, value, SetArgs.Builder.px(ttlMillis)),
                redis.publish(this.channel, message)));
    }

    @Override
    public void delete(String cache, String key) {
        byte[] redisKey = RedisKeys.bytes(this.keys.key(cache, key));
        byte[] message = this.json.writeBytes(new InvalidationMessage(this.instanceId, cache, key));
        executeAll((redis) -> List.of(redis.del(redisKey), redis.publish(this.channel, message)));
    }

    @Override
    public void clear(String cache) {
        ScanArgs match = ScanArgs.Builder.matches(this.keys.pattern(cache)).limit(1000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<byte[]> page = execute((redis) -> redis.scan(from, match));
            if (!page.getKeys().isEmpty()) {
                byte[][] found = page.getKeys().toArray(new byte[0][]);
                execute((redis) -> redis.unlink(found));
            }
            cursor = page;
        }
        while (!cursor.isFinished());
        byte[] message = this.json.writeBytes(new InvalidationMessage(this.instanceId, cache, null));
        execute((redis) -> redis.publish(this.channel, message));
    }

    private <T> T execute(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
        List<T> results = executeAll((redis) -> List.of(command.apply(redis)));
        return results.get(0);
    }

    private <T> List<T> executeAll(
            Function<RedisClusterAsyncCommands<byte[], byte[]>, List<? extends RedisFuture<? extends T>>> commands) {
        if (!this.breaker.tryAcquirePermission()) {
            throw NOT_PERMITTED;
        }
        long start = System.nanoTime();
        try (RedisConnection connection = this.connectionFactory.getConnection()) {
            List<? extends RedisFuture<? extends T>> futures = commands.apply(asyncCommands(connection));
            List<T> results = new ArrayList<>(futures.size());
            for (RedisFuture<? extends T> future : futures) {
                results.add(await(future, start));
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
