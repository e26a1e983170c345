package dev.cachewarming.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.redis.RedisSecondLevel;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application contexts ("instances") sharing one real Redis server: what only the Redis tier does (pub/sub
 * invalidations, resync after an outage, evictions sent when Redis is back). What every backend does is in
 * {@link SharedTierBehaviourTests} ({@link RedisSharedTierBehaviourTests}).
 */
@ExtendWith(RedisServerExtension.class)
class TwoLevelCacheRedisTests {

    record Product(long id, String name, long priceCents) {
    }

    /** The "database" both instances load from. */
    private final Map<Long, Product> database = new ConcurrentHashMap<>();

    private final AtomicInteger databaseReads = new AtomicInteger();

    private ApplicationContextRunner instances(RedisServer redis, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
            .withPropertyValues(TestAutoConfigurations.redisProperties(redis))
            .withPropertyValues(properties);
    }

    private static TieredCache products(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).cache("products", Product.class, Long.class);
    }

    private Product load(long id) {
        this.databaseReads.incrementAndGet();
        return this.database.get(id);
    }

    private void seed(long... ids) {
        for (long id : ids) {
            this.database.put(id, new Product(id, "Product " + id, 100 * id));
        }
    }

    @Test
    void writeOnOneInstanceReplacesTheOthersInProcessCopyWithinMilliseconds(RedisServer redis) {
        seed(1);
        instances(redis).run((a) -> instances(redis).run((b) -> {
            products(a).get(1L, () -> load(1));
            products(b).get(1L, () -> load(1));
            assertThat(products(b).getEntry(1L).value()).isEqualTo(this.database.get(1L));

            Product updated = new Product(1, "Renamed", 999);
            long start = System.nanoTime();
            products(a).put(1L, updated);
            AtomicLong seenAfter = new AtomicLong();
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(1)).untilAsserted(() -> {
                assertThat(products(b).getEntry(1L).value()).isEqualTo(updated);
                seenAfter.compareAndSet(0, System.nanoTime() - start);
            });
            System.out.printf("Invalidation seen by the other instance after %.1f ms%n", seenAfter.get() / 1e6);
            assertThat(this.databaseReads).as("B re-read from Redis, not the database").hasValue(1);
        }));
    }

    @Test
    void evictAndClearOnOneInstanceReachTheOthers(RedisServer redis) {
        seed(1, 2);
        instances(redis).run((a) -> instances(redis).run((b) -> {
            products(b).get(1L, () -> load(1));
            products(b).get(2L, () -> load(2));

            products(a).evict(1L);
            await().atMost(Duration.ofSeconds(2)).until(() -> products(b).getEntry(1L) == null);
            assertThat(products(b).getEntry(2L)).isNotNull();

            products(a).clear();
            await().atMost(Duration.ofSeconds(2)).until(() -> products(b).getEntry(2L) == null);
            assertThat(a.getBean(StringRedisTemplate.class).keys("cache-warming:products:*")).isEmpty();
        }));
    }

    @Test
    void redisOutageIsServedFromL1AndLoadersAndTheCacheRecoversAfterwards(RedisServer redis) {
        for (long id = 1; id <= 300; id++) {
            seed(id);
        }
        String[] faultSettings = { "cache-warming.redis.command-timeout=200ms",
                "cache-warming.redis.circuit-breaker.minimum-calls=3",
                "cache-warming.redis.circuit-breaker.sliding-window-size=10",
                "cache-warming.redis.circuit-breaker.open-duration=1s" };
        instances(redis, faultSettings).run((a) -> instances(redis, faultSettings).run((b) -> {
            TieredCache cacheA = products(a);
            TieredCache cacheB = products(b);
            RedisSecondLevel redisOfA = a.getBean(RedisSecondLevel.class);
            for (long id = 1; id <= 10; id++) {
                long key = id;
                cacheA.get(key, () -> load(key));
                cacheB.get(key, () -> load(key));
            }

            redis.stop();

            // Served: L1 hits and misses alike, and after a few failures Redis is not waited on any more.
            long start = System.nanoTime();
            for (long id = 1; id <= 10; id++) {
                long key = id;
                assertThat(cacheA.get(key, () -> load(key))).isEqualTo(this.database.get(key));
            }
            for (long id = 100; id < 200; id++) {
                long key = id;
                assertThat(cacheA.get(key, () -> load(key))).isEqualTo(this.database.get(key));
            }
            Duration outageCalls = Duration.ofNanos(System.nanoTime() - start);
            assertThat(redisOfA.isAvailable()).as("circuit breaker open").isFalse();
            assertThat(cacheA.stats().l2Errors()).as("Redis calls that waited for a timeout").isLessThanOrEqualTo(10);
            // 100 misses would wait 200 x 200ms = 40s on timeouts without the breaker.
            assertThat(outageCalls).isLessThan(Duration.ofSeconds(10));

            // Meanwhile the product changes in the database; A knows, B cannot be told.
            Product changed = new Product(1, "Changed during the outage", 1);
            this.database.put(1L, changed);
            cacheA.put(1L, changed);

            redis.start();

            // B's in-process copies are dropped once Redis is back, since invalidations may have been missed.
            await().atMost(Duration.ofSeconds(30)).until(() -> cacheB.localSize() == 0);
            // And Redis is used again: a new write reaches it.
            StringRedisTemplate raw = b.getBean(StringRedisTemplate.class);
            AtomicLong probe = new AtomicLong(1000);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long id = probe.incrementAndGet();
                seed(id);
                cacheB.get(id, () -> load(id));
                return Boolean.TRUE.equals(raw.hasKey("cache-warming:products:" + id));
            });
            assertThat(cacheB.get(1L, () -> load(1))).isEqualTo(changed);
            byte[] stored = raw.opsForValue().get("cache-warming:products:1").getBytes(StandardCharsets.UTF_8);
            assertThat(new String(stored, StandardCharsets.UTF_8)).contains("Changed during the outage");
        }));
    }

    @Test
    void instanceStartedWhileRedisIsDownReceivesInvalidationsOnceRedisIsUp(RedisServer redis) {
        seed(1);
        String[] settings = { "cache-warming.redis.circuit-breaker.open-duration=500ms" };
        redis.stop();
        instances(redis, settings).run((b) -> {
            assertThat(products(b).get(1L, () -> load(1))).isEqualTo(this.database.get(1L));

            redis.start();
            instances(redis, settings).run((a) -> {
                AtomicInteger version = new AtomicInteger();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    // B holds the key in L1; only an invalidation from A can replace it there.
                    products(b).get(1L, () -> load(1));
                    Product next = new Product(1, "v" + version.incrementAndGet(), 1);
                    products(a).put(1L, next);
                    try {
                        await().atMost(Duration.ofMillis(500))
                            .until(() -> {
                                dev.cachewarming.cache.CacheEntry seen = products(b).getEntry(1L);
                                return seen != null && next.equals(seen.value());
                            });
                        return true;
                    }
                    catch (org.awaitility.core.ConditionTimeoutException ex) {
                        return false;
                    }
                });
            });
        });
    }

    @Test
    void evictionMadeWhileRedisWasUnreachableIsSentWhenItIsBack(RedisServer redis) {
        seed(5, 6);
        String[] settings = { "cache-warming.redis.circuit-breaker.open-duration=300ms" };
        instances(redis, settings).run((a) -> instances(redis, settings).run((b) -> {
            products(a).get(5L, () -> load(5));
            products(b).get(5L, () -> load(5));
            StringRedisTemplate raw = a.getBean(StringRedisTemplate.class);
            assertThat(raw.hasKey("cache-warming:products:5")).isTrue();

            // A cannot reach Redis for a moment (its breaker is open); the others can.
            a.getBean(io.github.resilience4j.circuitbreaker.CircuitBreaker.class).transitionToOpenState();
            products(a).evict(5L);
            assertThat(raw.hasKey("cache-warming:products:5")).as("not sent yet").isTrue();

            // Once A's breaker lets calls through again, the eviction reaches Redis and B.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                products(a).get(6L, () -> load(6));
                return !Boolean.TRUE.equals(raw.hasKey("cache-warming:products:5"));
            });
            await().atMost(Duration.ofSeconds(2)).until(() -> products(b).peekLocal(5L) == null);
        }));
    }
}
