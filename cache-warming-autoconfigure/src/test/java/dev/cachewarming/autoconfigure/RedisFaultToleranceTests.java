package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.redis.RedisInvalidationSubscriber;
import dev.cachewarming.redis.RedisLeaseRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application contexts ("instances") sharing one real {@code redis-server} while the test pauses it (SIGSTOP),
 * kills it (SIGKILL) and restarts it empty. Counts, never timings of a healthy run: calls that failed, calls that
 * took longer than a bound derived from the configured timeouts, and reads that returned a value older than the
 * documented staleness bound. (How long things take is measured by the fault benchmark.)
 */
@ExtendWith(RedisServerExtension.class)
class RedisFaultToleranceTests {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);

    private static final Duration MAX_RECHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Duration L1_TTL = Duration.ofSeconds(2);

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

    /**
     * The longest a call may take while Redis fails: a miss pays at most a few timed-out commands (its L2 read, the
     * lease, the write; the breaker opens after three failures within a second), one re-check interval if it waited for
     * another instance's load, and a second of slack for a shared 2-core machine. Far below the wait timeout (30 s
     * here), which is what a lost wake-up used to cost.
     */
    private static final Duration CALL_BOUND = COMMAND_TIMEOUT.multipliedBy(5)
        .plus(MAX_RECHECK_INTERVAL)
        .plus(Duration.ofSeconds(1));

    private static final String[] SETTINGS = { "cache-warming.redis.command-timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
            "cache-warming.redis.circuit-breaker.probe-interval=" + PROBE_INTERVAL.toMillis() + "ms",
            "cache-warming.stampede.max-recheck-interval=" + MAX_RECHECK_INTERVAL.toMillis() + "ms",
            "cache-warming.stampede.wait-timeout=30s", "cache-warming.caches.products.ttl=1m",
            "cache-warming.caches.products.l1-ttl=" + L1_TTL.toMillis() + "ms", "cache-warming.warmup.enabled=false" };

    private final FaultyCatalog catalog = new FaultyCatalog();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void release() {
        this.catalog.openGate();
        this.threads.shutdownNow();
    }

    private ApplicationContextRunner instance(RedisServer redis, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class))
            .withPropertyValues(TestAutoConfigurations.redisProperties(redis))
            .withPropertyValues(SETTINGS)
            .withPropertyValues(properties)
            .withBean(FaultyCatalog.Service.class, () -> new FaultyCatalog.Service(this.catalog));
    }

    private static FaultyCatalog.Service service(AssertableApplicationContext context) {
        return context.getBean(FaultyCatalog.Service.class);
    }

    private static TieredCache products(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).cache("products", FaultyCatalog.Product.class, Long.class);
    }

    private static CircuitBreaker.State breaker(AssertableApplicationContext context) {
        return context.getBean(CircuitBreaker.class).getState();
    }

    @Test
    void callersAreServedThroughAPauseAKillAndARestartInBoundedTimeAndStaleness(RedisServer redis) throws Exception {
        instance(redis).run((a) -> instance(redis).run((b) -> {
            FaultTraffic traffic = new FaultTraffic(List.of(service(a), service(b)), products(a), this.catalog, 300,
                    CALL_BOUND.toNanos());
            traffic.start(6);
            awaitMoreReads(traffic, 500);

            long outageStart = System.nanoTime();
            redis.pause();
            await().atMost(Duration.ofSeconds(20)).until(() -> breaker(a) == CircuitBreaker.State.OPEN
                    && breaker(b) == CircuitBreaker.State.OPEN);
            awaitMoreReads(traffic, 300);
            redis.resume();
            await().atMost(Duration.ofSeconds(20)).until(() -> breaker(a) == CircuitBreaker.State.CLOSED
                    && breaker(b) == CircuitBreaker.State.CLOSED);
            long pauseLasted = System.nanoTime() - outageStart;
            awaitMoreReads(traffic, 300);

            outageStart = System.nanoTime();
            redis.kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> breaker(a) == CircuitBreaker.State.OPEN
                    && breaker(b) == CircuitBreaker.State.OPEN);
            awaitMoreReads(traffic, 300);
            redis.restart();
            await().atMost(Duration.ofSeconds(20)).until(() -> breaker(a) == CircuitBreaker.State.CLOSED
                    && breaker(b) == CircuitBreaker.State.CLOSED);
            long killLasted = System.nanoTime() - outageStart;
            awaitMoreReads(traffic, 300);

            // L1 is in sync again: a write on A reaches B's in-process copy (this version or, since the writer
            // keeps writing, a later one).
            service(b).find(1L);
            FaultyCatalog.Product update = this.catalog.update(1L);
            products(a).put(1L, update);
            await().atMost(Duration.ofSeconds(5)).until(() -> service(b).find(1L).version() >= update.version());
            traffic.stop();

            // Reads during an outage may return a copy that is stale for up to l1-ttl; right after Redis is back, a
            // value written during the outage may be read from Redis until its writer's eviction is replayed.
            long stalenessBoundMillis = L1_TTL.toMillis() + Math.max(pauseLasted, killLasted) / 1_000_000
                    + 2 * PROBE_INTERVAL.toMillis() + 1000;
            assertThat(traffic.failures()).as("failed calls").isEmpty();
            assertThat(traffic.slowCalls()).as("calls slower than %s (slowest: %d ms)", CALL_BOUND,
                    traffic.slowestMillis()).isEmpty();
            assertThat(traffic.stalestMillis()).as("oldest value served, ms after it was replaced")
                .isLessThanOrEqualTo(stalenessBoundMillis);
            assertThat(traffic.writes()).as("writes made meanwhile").isGreaterThan(100);
        }));
    }

    @Test
    void aPausedRedisCostsAFewShortTimeoutsThenNoneUntilItAnswersAgain(RedisServer redis) {
        instance(redis).run((context) -> {
            TieredCache products = products(context);
            RedisCommandRunner runner = context.getBean(RedisCommandRunner.class);
            for (long id = 1; id <= 300; id++) {
                long key = id;
                products.get(key, () -> this.catalog.load(key));
            }
            assertThat(runner.commandTimeout()).as("adapted to a healthy Redis").isLessThan(COMMAND_TIMEOUT);

            redis.pause();
            long errorsBefore = products.stats().l2Errors();
            for (long id = 1001; id <= 1100; id++) {
                long key = id;
                assertThat(products.get(key, () -> this.catalog.load(key))).isEqualTo(new FaultyCatalog.Product(key, 0));
            }

            assertThat(products.stats().l2Errors() - errorsBefore).as("Redis commands that failed or timed out")
                .isLessThanOrEqualTo(3);
            assertThat(breaker(context)).isEqualTo(CircuitBreaker.State.OPEN);
            redis.resume();
            await().atMost(Duration.ofSeconds(10)).until(runner::isAvailable);
        });
    }

    @Test
    void writesMadeWhileRedisWasPausedReachTheOtherInstanceWhenItResumesAndItsL1IsKept(RedisServer redis) {
        instance(redis).run((a) -> instance(redis, "cache-warming.caches.products.l1-ttl=1m").run((b) -> {
            // B loads and writes to Redis, so A reads them from there: no message can drop B's copies later.
            products(b).get(1L, () -> this.catalog.load(1L));
            products(b).get(2L, () -> this.catalog.load(2L));
            products(a).get(1L, () -> this.catalog.load(1L));
            assertThat(this.catalog.loads()).isEqualTo(2);

            redis.pause();
            // A finds Redis failing and stops calling it; B has no traffic and does not know yet.
            for (long id = 100; id < 110 && breaker(a) != CircuitBreaker.State.OPEN; id++) {
                long key = id;
                products(a).get(key, () -> this.catalog.load(key));
            }
            assertThat(breaker(a)).isEqualTo(CircuitBreaker.State.OPEN);
            FaultyCatalog.Product update = this.catalog.update(1L);
            products(a).put(1L, update);
            assertThat(products(b).get(1L, () -> this.catalog.load(1L))).as("B's copy, until Redis is back")
                .isNotEqualTo(update);

            redis.resume();

            await().atMost(Duration.ofSeconds(10))
                .until(() -> update.equals(products(b).get(1L, () -> this.catalog.load(1L))));
            assertThat(products(b).peekLocal(2L)).as("B's other copies: its subscription held, nothing was missed")
                .isNotNull();
        }));
    }

    @Test
    void aWaiterWhoseWakeUpMessageIsLostFindsTheValueWithinAReCheckInterval(RedisServer redis) throws Exception {
        instance(redis).run((holder) -> instance(redis).run((waiter) -> {
            this.catalog.closeGate();
            Future<FaultyCatalog.Product> holding = this.threads.submit(() -> service(holder).find(7L));
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            // The waiter's instance hears nothing from now on: the holder's write and release messages are lost.
            waiter.getBean(RedisInvalidationSubscriber.class).close();
            Future<FaultyCatalog.Product> waiting = this.threads.submit(() -> service(waiter).find(7L));
            await().atMost(Duration.ofSeconds(10)).until(() -> products(waiter).stats().leasesLost() == 1);

            long opened = System.nanoTime();
            this.catalog.openGate();
            FaultyCatalog.Product value = waiting.get(30, TimeUnit.SECONDS);
            Duration waited = Duration.ofNanos(System.nanoTime() - opened);

            assertThat(value).isEqualTo(holding.get(10, TimeUnit.SECONDS));
            assertThat(this.catalog.loads()).as("the waiter took the holder's value from Redis").isEqualTo(1);
            assertThat(waited).as("waited after the holder's load ended (wait-timeout: 30 s)")
                .isLessThan(MAX_RECHECK_INTERVAL.plusSeconds(1));
        }));
    }

    @Test
    void waitersForAnotherInstancesLoadLoadThemselvesWhenRedisStopsAnswering(RedisServer redis) throws Exception {
        instance(redis).run((holder) -> instance(redis).run((waiter) -> {
            this.catalog.closeGate();
            Future<FaultyCatalog.Product> holding = this.threads.submit(() -> service(holder).find(8L));
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            Future<FaultyCatalog.Product> waiting = this.threads.submit(() -> service(waiter).find(8L));
            await().atMost(Duration.ofSeconds(10)).until(() -> products(waiter).stats().leasesLost() == 1);
            CountDownLatch heldLoad = this.catalog.openGateForNewLoadsOnly();

            long paused = System.nanoTime();
            redis.pause();
            FaultyCatalog.Product value = waiting.get(30, TimeUnit.SECONDS);
            Duration waited = Duration.ofNanos(System.nanoTime() - paused);

            assertThat(value).isEqualTo(new FaultyCatalog.Product(8L, 0));
            assertThat(this.catalog.loads()).as("the holder's load, still held, and the waiter's own").isEqualTo(2);
            assertThat(waited).as("waited once Redis stopped answering (wait-timeout: 30 s)").isLessThan(CALL_BOUND);
            redis.resume();
            heldLoad.countDown();
            assertThat(holding.get(10, TimeUnit.SECONDS)).isEqualTo(value);
        }));
    }

    @Test
    void aLostConnectionOpensTheBreakerBeforeAnyCommandFailsAndAReconnectClosesIt(RedisServer redis) {
        instance(redis).run((context) -> {
            TieredCache products = products(context);
            products.get(1L, () -> this.catalog.load(1L));

            redis.kill();

            await().atMost(Duration.ofSeconds(5)).until(() -> breaker(context) == CircuitBreaker.State.OPEN);
            assertThat(products.stats().l2Errors()).as("commands that had to fail first").isZero();
            redis.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> breaker(context) == CircuitBreaker.State.CLOSED);
            StringRedisTemplate raw = context.getBean(StringRedisTemplate.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                products.put(2L, new FaultyCatalog.Product(2L, 5));
                return Boolean.TRUE.equals(raw.hasKey("cache-warming:products:2"));
            });
        });
    }

    @Test
    void aLeaseWhoseHolderStopsRenewingItIsTakenOverAfterThreeMissedRenewalsNotAfterItsTtl(RedisServer redis)
            throws Exception {
        // The default lease-ttl, 10 s: renewed every 500 ms, taken over once 1.5 s passed without a renewal.
        instance(redis).run((holder) -> instance(redis).run((other) -> {
            this.catalog.closeGate();
            Future<FaultyCatalog.Product> stuck = this.threads.submit(() -> service(holder).find(9L));
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            // The holder can no longer reach Redis: it neither renews nor releases its lease.
            holder.getBean(RedisLeaseRegistry.class).close();
            CountDownLatch heldLoad = this.catalog.openGateForNewLoadsOnly();

            long asked = System.nanoTime();
            FaultyCatalog.Product value = service(other).find(9L);
            Duration waited = Duration.ofNanos(System.nanoTime() - asked);

            assertThat(value).isEqualTo(new FaultyCatalog.Product(9L, 0));
            assertThat(products(other).stats().leasesExpired()).as("taken over").isEqualTo(1);
            assertThat(waited).as("waited for an abandoned lease (lease-ttl: 10 s)")
                .isLessThan(Duration.ofMillis(1500).plus(MAX_RECHECK_INTERVAL).plusSeconds(1));
            heldLoad.countDown();
            stuck.get(10, TimeUnit.SECONDS);
        }));
    }

    private static void awaitMoreReads(FaultTraffic traffic, long reads) {
        long target = traffic.reads() + reads;
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic.reads() >= target);
    }
}
