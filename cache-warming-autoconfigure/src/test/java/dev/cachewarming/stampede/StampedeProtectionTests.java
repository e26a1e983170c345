package dev.cachewarming.stampede;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.redis.RedisLeaseRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code @StampedeProtected} with real threads, real Redis and several application contexts ("instances").
 */
@ExtendWith(RedisServerExtension.class)
class StampedeProtectionTests {

    private final SlowCatalog catalog = new SlowCatalog();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void release() {
        this.catalog.openGate();
        this.threads.shutdownNow();
    }

    private ApplicationContextRunner instance(RedisServer redis, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, classForName(
                    "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"),
                    CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
            .withPropertyValues(properties)
            .withBean(SlowCatalog.Service.class, () -> new SlowCatalog.Service(this.catalog));
    }

    private static SlowCatalog.Service service(AssertableApplicationContext context) {
        return context.getBean(SlowCatalog.Service.class);
    }

    private static TieredCache slowCache(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).find("slow");
    }

    private List<Future<String>> callConcurrently(SlowCatalog.Service service, String key, int callers,
            CountDownLatch start) {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            results.add(this.threads.submit(() -> {
                start.await();
                return service.product(key);
            }));
        }
        return results;
    }

    @Test
    void twoHundredConcurrentMissesInOneInstanceLoadOnce(RedisServer redis) {
        instance(redis).run((context) -> {
            this.catalog.closeGate();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = callConcurrently(service(context), "k1", 200, start);

            start.countDown();
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            TieredCache cache = slowCache(context);
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.coalescedLoads() == 199);
            this.catalog.openGate();

            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("k1:v1");
            }
            assertThat(this.catalog.loads()).isEqualTo(1);
            assertThat(cache.stats().l2Misses() + cache.stats().l2Hits())
                .as("Redis reads: only the flight's leader asks Redis").isEqualTo(1);
        });
    }

    @Test
    void leaseOfAHolderThatStopsRenewingExpiresAndAnotherInstanceLoads(RedisServer redis) {
        // A generous command timeout: this test is about lease expiry, not about a slow machine's Redis calls.
        String[] settings = { "cache-warming.stampede.lease-ttl=1s", "cache-warming.stampede.wait-timeout=20s",
                "cache-warming.redis.command-timeout=3s" };
        instance(redis, settings).run((holder) -> instance(redis, settings).run((other) -> {
            this.catalog.closeGate();
            Future<String> stuck = this.threads.submit(() -> service(holder).product("k3"));
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            StringRedisTemplate raw = other.getBean(StringRedisTemplate.class);
            String leaseKey = "cache-warming::lease:slow:k3";
            String deadToken = raw.opsForValue().get(leaseKey);
            assertThat(deadToken).isNotNull();

            // The holder "dies": its lease is neither renewed nor released from now on, its load never ends.
            holder.getBean(RedisLeaseRegistry.class).close();
            CountDownLatch stuckGate = this.catalog.openGateForNewLoadsOnly();
            AtomicReference<String> leaseTokenWhenLoading = new AtomicReference<>();
            this.catalog.beforeLoad(() -> leaseTokenWhenLoading.set(raw.opsForValue().get(leaseKey)));

            assertThat(service(other).product("k3")).isEqualTo("k3:v1");

            TieredCache otherCache = slowCache(other);
            assertThat(leaseTokenWhenLoading.get()).as("the takeover loaded under its own lease (Redis errors %d, "
                    + "breaker %s, leases lost %d, acquired %d)", otherCache.stats().l2Errors(),
                    other.getBean(io.github.resilience4j.circuitbreaker.CircuitBreaker.class).getState(),
                    otherCache.stats().leasesLost(), otherCache.stats().leasesAcquired())
                .isNotNull()
                .isNotEqualTo(deadToken);
            assertThat(slowCache(other).stats().leasesExpired()).isEqualTo(1);
            assertThat(this.catalog.loads()).isEqualTo(2);
            assertThat(stuck.isDone()).as("the dead holder's load is still stuck").isFalse();
            stuckGate.countDown();
            stuck.get(10, TimeUnit.SECONDS);
        }));
    }

    @Test
    void failedLoadReachesEveryWaiterCachesNothingAndTheNextCallLoadsAgain(RedisServer redis) {
        instance(redis).run((context) -> {
            this.catalog.closeGate();
            this.catalog.setFailing(true);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = callConcurrently(service(context), "k4", 50, start);
            start.countDown();
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> slowCache(context).coalescedLoads() == 49);
            this.catalog.openGate();

            for (Future<String> result : results) {
                assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("database down");
            }
            assertThat(this.catalog.loads()).isEqualTo(1);
            assertThat(slowCache(context).getEntry("k4")).isNull();

            this.catalog.setFailing(false);
            assertThat(service(context).product("k4")).isEqualTo("k4:v1");
            assertThat(this.catalog.loads()).isEqualTo(2);
        });
    }

    @Test
    void staleValueIsServedAtOnceWhileOneCallerReloads(RedisServer redis) {
        instance(redis, "cache-warming.caches.slow.ttl=300ms", "cache-warming.caches.slow.jitter=0",
                "cache-warming.caches.slow.stale-ttl=1m").run((context) -> {
            assertThat(service(context).product("k5")).isEqualTo("k5:v1");
            TieredCache cache = slowCache(context);
            await().atMost(Duration.ofSeconds(5)).until(() -> !cache.getEntry("k5", true).isFreshAt(cache.now()));

            this.catalog.setVersion("v2");
            this.catalog.closeGate();
            Future<String> reloader = this.threads.submit(() -> service(context).product("k5"));
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            List<String> servedWhileLoading = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                servedWhileLoading.add(service(context).product("k5"));
            }
            this.catalog.openGate();

            assertThat(servedWhileLoading).containsOnly("k5:v1");
            assertThat(reloader.get(10, TimeUnit.SECONDS)).isEqualTo("k5:v2");
            assertThat(cache.stats().staleServed()).isEqualTo(20);
            assertThat(this.catalog.loads()).isEqualTo(2);
        });
    }

    @Test
    void waitTimeoutWithThrowPolicyFailsTheWaiterWithAClearException(RedisServer redis) {
        instance(redis).run((holder) -> instance(redis, "cache-warming.stampede.wait-timeout=300ms",
                "cache-warming.stampede.on-wait-timeout=throw").run((waiter) -> {
                    this.catalog.closeGate();
                    Future<String> holding = this.threads.submit(() -> service(holder).product("k6"));
                    assertThat(this.catalog.awaitLoadStarted()).isTrue();
                    assertThatThrownBy(() -> service(waiter).product("k6"))
                        .isInstanceOf(StampedeWaitTimeoutException.class)
                        .hasMessageContaining("key 'k6' of cache 'slow'")
                        .hasMessageContaining("cache-warming.stampede.wait-timeout");
                    assertThat(slowCache(waiter).stats().waitTimeouts()).isEqualTo(1);
                    this.catalog.openGate();
                    assertThat(holding.get(10, TimeUnit.SECONDS)).isEqualTo("k6:v1");
                }));
    }

    @Test
    void uncachedMethodOnlyCoalescesConcurrentCalls(RedisServer redis) {
        instance(redis).run((context) -> {
            this.catalog.closeGate();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(this.threads.submit(() -> {
                    start.await();
                    return service(context).uncached("k7");
                }));
            }
            start.countDown();
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            // Let every caller reach the flight before the load ends.
            await().atMost(Duration.ofSeconds(10)).until(() -> results.stream().filter(Future::isDone).count() == 0
                    && this.threads instanceof java.util.concurrent.ThreadPoolExecutor pool
                    && pool.getActiveCount() >= 20);
            this.catalog.openGate();
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("k7:v1");
            }
            int afterFlight = this.catalog.loads();

            assertThat(service(context).uncached("k7")).isEqualTo("k7:v1");
            assertThat(this.catalog.loads()).as("nothing cached: a later call loads again").isEqualTo(afterFlight + 1);
            assertThat(afterFlight).isLessThan(20);
        });
    }

    private static Class<?> classForName(String name) {
        try {
            return Class.forName(name);
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
