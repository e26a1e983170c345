package dev.cachewarming.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.data.redis.connection.RedisConnection;

import dev.cachewarming.cache.InvalidationListener;

/**
 * Decides, beyond the circuit breaker's own failure and slow-call rates, when Redis is used: the breaker opens as
 * soon as Lettuce reports a connection lost, and closes as soon as Redis answers again, not after a fixed wait.
 *
 * <ul>
 * <li>A lost connection (Lettuce's first reconnect attempt) opens the breaker at once: callers stop waiting on
 * commands that sit in a disconnected queue.</li>
 * <li>While the breaker is open, Redis is pinged every {@code probeInterval} outside the breaker; the first answer
 * half-opens it, and two pings through it close it. A Redis that was paused for 10 s is used again within about
 * {@code probeInterval} of resuming.</li>
 * <li>When the breaker opens, whoever waits for a message (another instance's lease release, say) is told to stop
 * waiting ({@link InvalidationListener#deliveryInterrupted()}); when it closes, the listener is told Redis is back
 * ({@link InvalidationListener#recovered()}), so changes that could not be sent meanwhile are sent now.</li>
 * </ul>
 *
 * <p>Runs its pings on one daemon thread. Thread-safe.
 */
public final class RedisAvailabilityMonitor implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(RedisAvailabilityMonitor.class);

    /** Calls the half-open breaker lets through; the probe makes them. */
    public static final int HALF_OPEN_CALLS = 2;

    private final RedisCommandRunner redis;

    private final CircuitBreaker breaker;

    private final Duration probeInterval;

    private final Duration pingTimeout;

    private final InvalidationListener listener;

    private final ScheduledExecutorService executor;

    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicBoolean connectionLost = new AtomicBoolean();

    private final LongAdder openedSinceWarn = new LongAdder();

    private volatile long lastWarnNanos;

    private volatile boolean warnedOfThisOutage;

    private Disposable connectionEvents;

    /**
     * @param redis runs the pings and owns the breaker
     * @param probeInterval how often an open breaker's Redis is pinged
     * @param pingTimeout how long a ping may take
     * @param listener told when messages may not arrive and when Redis is back
     */
    public RedisAvailabilityMonitor(RedisCommandRunner redis, Duration probeInterval, Duration pingTimeout,
            InvalidationListener listener) {
        this.redis = redis;
        this.breaker = redis.breaker();
        this.probeInterval = probeInterval;
        this.pingTimeout = pingTimeout;
        this.listener = listener;
        this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "cache-warming-redis-monitor");
            thread.setDaemon(true);
            return thread;
        });
        this.breaker.getEventPublisher().onStateTransition(this::onTransition);
        this.executor.scheduleWithFixedDelay(this::pingIfOpen, probeInterval.toNanos(), probeInterval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /**
     * Watches Lettuce's connection events for lost and restored connections.
     * @param resources the client resources of the application's connection factory
     */
    public void watch(ClientResources resources) {
        this.connectionEvents = resources.eventBus().get().subscribe(this::onConnectionEvent);
    }

    private void onConnectionEvent(Event event) {
        if (event instanceof ReconnectAttemptEvent attempt && attempt.getAttempt() <= 1) {
            // The first attempt follows the loss by a millisecond; later ones of the same outage change nothing.
            this.connectionLost.set(true);
            this.redis.openNow("Lost the connection to Redis (" + attempt.remoteAddress() + ")", null);
        }
        else if (event instanceof ConnectionActivatedEvent && this.connectionLost.compareAndSet(true, false)) {
            // Reconnected: no need to wait for the next scheduled ping.
            submit(this::pingIfOpen);
        }
    }

    private void onTransition(CircuitBreakerOnStateTransitionEvent event) {
        switch (event.getStateTransition()) {
            case CLOSED_TO_OPEN -> {
                logOpened();
                this.listener.deliveryInterrupted();
            }
            case HALF_OPEN_TO_OPEN -> this.listener.deliveryInterrupted();
            case OPEN_TO_HALF_OPEN, FORCED_OPEN_TO_HALF_OPEN -> submit(this::probe);
            case HALF_OPEN_TO_CLOSED, OPEN_TO_CLOSED, FORCED_OPEN_TO_CLOSED -> {
                if (this.warnedOfThisOutage) {
                    logger.info("Redis answers again: shared caches use it again");
                }
                else {
                    logger.debug("Redis answers again: shared caches use it again");
                }
                // Off the thread that closed the breaker, which may be a caller's: replaying evictions takes a
                // round trip each.
                submit(this.listener::recovered);
            }
            default -> {
            }
        }
    }

    /**
     * One WARN per minute at most: on a busy machine a few slow answers in a row open the breaker briefly now and
     * then (which costs the callers nothing: they are served from L1 and the loaders meanwhile), and a log line per
     * opening would drown the one that matters.
     */
    private void logOpened() {
        long now = System.nanoTime();
        long last = this.lastWarnNanos;
        if (last == 0 || now - last >= WARN_INTERVAL_NANOS) {
            this.lastWarnNanos = (now == 0) ? 1 : now;
            long since = this.openedSinceWarn.sumThenReset();
            logger.warn("Redis is failing: shared caches now serve from the in-process tier and their loaders, and "
                    + "ping Redis every " + this.probeInterval + " to use it again as soon as it answers"
                    + ((since > 0) ? " (it also failed " + since + " time(s) in the minute before)" : ""));
            this.warnedOfThisOutage = true;
        }
        else {
            this.openedSinceWarn.increment();
            this.warnedOfThisOutage = false;
            logger.debug("Redis is failing again; serving without it until it answers");
        }
    }

    /**
     * Lets the half-open breaker's calls through, after checking that Redis answers as a whole: Resilience4j's own
     * timer half-opens it after open-duration, and on Redis Cluster a ping through it reaches one node, which may
     * answer while a failed master still holds its slots.
     */
    private void probe() {
        if (this.breaker.getState() != CircuitBreaker.State.HALF_OPEN) {
            return;
        }
        if (answers()) {
            // Through the breaker: their successes close it (their failures open it again).
            for (int i = 0; i < HALF_OPEN_CALLS; i++) {
                try {
                    this.redis.execute((redis) -> redis.ping());
                }
                catch (RuntimeException ex) {
                    return;
                }
            }
        }
        else {
            this.redis.openNow("Redis does not answer yet", null);
        }
    }

    private void pingIfOpen() {
        if (this.breaker.getState() != CircuitBreaker.State.OPEN) {
            return;
        }
        if (answers() && this.breaker.getState() == CircuitBreaker.State.OPEN) {
            try {
                this.breaker.transitionToHalfOpenState();
            }
            catch (IllegalStateTransitionException ex) {
                // Resilience4j's own timer moved it first.
            }
        }
    }

    /**
     * Pings Redis outside the circuit breaker (nothing is recorded). On Redis Cluster every master that serves
     * slots must answer: a failed master keeps its slots until a replica takes over (and Lettuce learns of it), and
     * commands for them would only time out.
     * @return whether Redis answered {@code PONG} within the ping timeout
     */
    private boolean answers() {
        List<CompletableFuture<String>> pings = new ArrayList<>();
        try (RedisConnection connection = this.redis.connectionFactory().getConnection()) {
            RedisClusterAsyncCommands<byte[], byte[]> commands = RedisCommandRunner.asyncCommands(connection);
            if (commands instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster) {
                pings.addAll(List.of(cluster
                    .nodes((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
                    .commands()
                    .ping()
                    .futures()));
            }
            else {
                pings.add(commands.ping().toCompletableFuture());
            }
            CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new))
                .get(this.pingTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return !pings.isEmpty() && pings.stream().allMatch((ping) -> "PONG".equals(ping.getNow(null)));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (TimeoutException | ExecutionException | RuntimeException ex) {
            pings.forEach((ping) -> ping.cancel(true));
            return false;
        }
    }

    private void submit(Runnable task) {
        try {
            this.executor.execute(task);
        }
        catch (RejectedExecutionException ex) {
            // Closed.
        }
    }

    @Override
    public void close() {
        if (this.connectionEvents != null) {
            this.connectionEvents.dispose();
        }
        this.executor.shutdownNow();
    }
}
