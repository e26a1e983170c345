package dev.cachewarming.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
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
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Runs the cache's Redis commands on Lettuce's asynchronous API with a short timeout of their own, whatever
 * {@code spring.data.redis.timeout} says, under a {@link CircuitBreaker}: once Redis fails often enough, commands
 * are not sent at all until it answers again.
 *
 * <p>Failing fast is the point: a caller that misses L1 while Redis is paused must not pay a long timeout, and
 * neither must the next ones.
 * <ul>
 * <li>The timeout adapts ({@link AdaptiveTimeout}): a multiple of the p99 of recent answers, at least a floor and
 * at most {@code cache-warming.redis.command-timeout}.</li>
 * <li>A few failed or timed-out commands within a short window open the breaker, without waiting for the failure
 * rate of its sliding window (on Redis Cluster, a failed master's slots fail while the others answer: failures are
 * not counted "in a row"); so does a refused connection.</li>
 * <li>The breaker also opens on slow calls (Resilience4j's slow-call rate), as configured by its owner.</li>
 * </ul>
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

    private final AdaptiveTimeout timeout;

    private final CircuitBreaker breaker;

    private final FailureBurst failures;

    // Whether the factory talks to a Redis Cluster: answered once, by its configuration.
    private volatile Boolean cluster;

    /**
     * A runner with a fixed timeout that opens the breaker after three failures within a second.
     * @param connectionFactory the application's Redis connection factory (Lettuce)
     * @param commandTimeout the most a command (or a pipelined group) may take
     * @param breaker the circuit breaker guarding Redis
     */
    public RedisCommandRunner(RedisConnectionFactory connectionFactory, Duration commandTimeout,
            CircuitBreaker breaker) {
        this(connectionFactory, commandTimeout, AdaptiveTimeout.fixed(commandTimeout), breaker,
                new FailureBurst(3, Duration.ofSeconds(1)));
    }

    /**
     * @param connectionFactory the application's Redis connection factory (Lettuce)
     * @param commandTimeout the most a command (or a pipelined group) may take; batches are given this plus
     * their per-key allowance
     * @param timeout the time a single command (or a small pipelined group) is given, at most
     * {@code commandTimeout}
     * @param breaker the circuit breaker guarding Redis
     * @param failures how many failed or timed-out calls within how long open the breaker at once
     */
    public RedisCommandRunner(RedisConnectionFactory connectionFactory, Duration commandTimeout,
            AdaptiveTimeout timeout, CircuitBreaker breaker, FailureBurst failures) {
        this.connectionFactory = connectionFactory;
        this.timeoutNanos = commandTimeout.toNanos();
        this.timeout = timeout;
        this.breaker = breaker;
        this.failures = failures;
    }

    /** @return whether commands are sent now (false while the circuit breaker is open) */
    public boolean isAvailable() {
        CircuitBreaker.State state = this.breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * @return whether the connection factory talks to a Redis Cluster (then a command may only carry keys of one
     * hash slot); answered by the factory's configuration, without connecting
     */
    public boolean isCluster() {
        Boolean cluster = this.cluster;
        if (cluster == null) {
            cluster = isClusterFactory(this.connectionFactory);
            this.cluster = cluster;
        }
        return cluster;
    }

    /**
     * Marks the runner as talking to a Redis Cluster, when a connection shows it although the factory's
     * configuration did not say so (a user's own factory).
     */
    void clusterSeen() {
        this.cluster = Boolean.TRUE;
    }

    private static boolean isClusterFactory(RedisConnectionFactory factory) {
        return (factory instanceof LettuceConnectionFactory lettuce) && lettuce.isClusterAware();
    }

    /** @return the circuit breaker */
    public CircuitBreaker breaker() {
        return this.breaker;
    }

    /** @return the application's connection factory, for whoever talks to Redis outside the breaker */
    RedisConnectionFactory connectionFactory() {
        return this.connectionFactory;
    }

    /** @return the time a single command is given now */
    public Duration commandTimeout() {
        return this.timeout.timeout();
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
        return executeAll(commands, this.timeout.timeoutNanos(), 0);
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
            long allowance = TimeUnit.MICROSECONDS.toNanos(BATCH_ALLOWANCE_MICROS * keys);
            return executeAll(commands, this.timeoutNanos + allowance, allowance);
        }
        finally {
            this.batchesInFlight.release();
        }
    }

    /**
     * @param allowanceNanos the part of the budget given for the keys of a batch (0 for other commands): left out of
     * the duration the breaker judges, and a batch's latency does not adapt the timeout of single commands
     */
    private <T> List<T> executeAll(
            Function<RedisClusterAsyncCommands<byte[], byte[]>, List<? extends RedisFuture<? extends T>>> commands,
            long budgetNanos, long allowanceNanos) {
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
            long answered = System.nanoTime();
            if (allowanceNanos == 0) {
                this.timeout.record(answered - sent);
            }
            this.breaker.onSuccess(Math.max(0, answered - start - allowanceNanos), TimeUnit.NANOSECONDS);
            return results;
        }
        catch (RedisConnectionFailureException ex) {
            this.breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
            openNow("Redis refused the connection", ex);
            throw new RedisTierException("Cannot connect to Redis: " + ex.getMessage(), ex);
        }
        catch (RuntimeException ex) {
            if (isAnswer(ex.getCause())) {
                // Redis answered, with an error about this command (a permission, a type, a script): it is up, and
                // the breaker guards availability, so the call counts as neither a success nor a failure.
                this.breaker.releasePermission();
                throw (ex instanceof RedisTierException) ? ex : new RedisTierException("Redis command failed", ex);
            }
            if (allowanceNanos == 0 && ex.getCause() instanceof TimeoutException) {
                // It took at least its budget: recorded, so a machine that stalls often gets a longer timeout.
                this.timeout.record(budgetNanos);
            }
            this.breaker.onError(Math.max(0, System.nanoTime() - start - allowanceNanos), TimeUnit.NANOSECONDS, ex);
            if (this.failures.record(System.nanoTime())) {
                openNow(this.failures + " Redis calls failed or timed out", ex);
            }
            throw (ex instanceof RedisTierException) ? ex : new RedisTierException("Redis command failed", ex);
        }
    }

    /**
     * Sends a command without waiting for its answer, whatever the circuit breaker says, and records nothing: for
     * a command other instances wait for even while this one has given up on Redis, such as a lease release. If
     * Redis is paused it runs when Redis resumes; if the connection is lost, when Lettuce reconnects (it queues
     * commands meanwhile). Call it off the caller's thread: getting the connection may wait for a connect timeout
     * when none is open.
     * @param command issues the command
     * @param <T> its result type
     * @return its result, failed if it failed or took longer than {@code command-timeout} (it may still run later)
     */
    public <T> CompletableFuture<T> send(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
        try (RedisConnection connection = this.connectionFactory.getConnection()) {
            return command.apply(asyncCommands(connection))
                .toCompletableFuture()
                .orTimeout(this.timeoutNanos, TimeUnit.NANOSECONDS);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
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

    /**
     * @return whether {@code cause} is an error reply about a command, as opposed to one that says the server
     * cannot serve now (still loading its data, busy with a script, a cluster or replica down)
     */
    static boolean isAnswer(Throwable cause) {
        if (!(cause instanceof io.lettuce.core.RedisCommandExecutionException)) {
            return false;
        }
        String message = String.valueOf(cause.getMessage());
        return !(message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("MASTERDOWN")
                || message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN")
                || message.startsWith("READONLY") || message.startsWith("NOREPLICAS"));
    }

    @SuppressWarnings("unchecked")
    static RedisClusterAsyncCommands<byte[], byte[]> asyncCommands(RedisConnection connection) {
        Object nativeConnection = connection.getNativeConnection();
        if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
            return (RedisClusterAsyncCommands<byte[], byte[]>) commands;
        }
        throw new IllegalStateException("The Redis tier needs Lettuce (Spring Boot's default client), found "
                + nativeConnection.getClass().getName());
    }

    /**
     * Opens the breaker now, unless it is open already (a concurrent transition may win: that is fine).
     * @param reason why, for the debug log
     * @param cause what failed, or {@code null}
     */
    public void openNow(String reason, Throwable cause) {
        CircuitBreaker.State state = this.breaker.getState();
        if (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN) {
            logger.debug(reason + "; opening the circuit breaker now", cause);
            try {
                this.breaker.transitionToOpenState();
            }
            catch (IllegalStateTransitionException ex) {
                // Another thread moved it first.
            }
        }
    }
}
