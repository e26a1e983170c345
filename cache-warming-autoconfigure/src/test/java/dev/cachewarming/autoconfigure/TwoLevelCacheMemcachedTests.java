package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.memcached.MemcachedKeyDump;
import dev.cachewarming.memcached.MemcachedSecondLevel;
import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application contexts ("instances") sharing one real Memcached server, without Redis: the Redis tier's
 * behaviour tests, on Memcached.
 */
@ExtendWith(MemcachedServerExtension.class)
class TwoLevelCacheMemcachedTests {

    record Product(long id, String name, long priceCents) {
    }

    private final Map<Long, Product> database = new ConcurrentHashMap<>();

    private final AtomicInteger databaseReads = new AtomicInteger();

    private ApplicationContextRunner instances(MemcachedServer memcached, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
            .withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached))
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
    void valueLoadedByOneInstanceIsReadFromMemcachedByAnother(MemcachedServer memcached) {
        seed(1);
        instances(memcached).run((a) -> instances(memcached).run((b) -> {
            assertThat(products(a).get(1L, () -> load(1))).isEqualTo(this.database.get(1L));

            assertThat(products(b).get(1L, () -> load(1))).isEqualTo(this.database.get(1L));
            assertThat(products(b).get(1L, () -> load(1))).isEqualTo(this.database.get(1L));

            assertThat(this.databaseReads).as("loads across both instances").hasValue(1);
            assertThat(products(b).stats().l2Hits()).isEqualTo(1);
            assertThat(products(b).stats().l1Hits()).isEqualTo(1);
        }));
    }

    @Test
    void memcachedHoldsTypedJsonWithoutClassNamesUnderANamespacedKey(MemcachedServer memcached) {
        seed(7);
        instances(memcached, "cache-warming.memcached.key-prefix=shop").run((context) -> {
            products(context).get(7L, () -> load(7));

            assertThat(memcached.get("shop:products:7"))
                .startsWith("{\"v\":{\"id\":7,\"name\":\"Product 7\",\"priceCents\":700},\"w\":")
                .doesNotContain("@class")
                .doesNotContain("dev.cachewarming");
        });
    }

    @Test
    void memcachedExpiryIsTheJitteredTtlInWholeSecondsNeverShorter(MemcachedServer memcached) {
        instances(memcached, "spring.cache.cache-names=products", "cache-warming.caches.products.ttl=100s", "cache-warming.caches.products.jitter=0.1")
            .run((context) -> {
                for (long id = 1; id <= 50; id++) {
                    products(context).put(id, new Product(id, "p", 1));
                }
                long now = System.currentTimeMillis() / 1000;
                Map<String, Long> expiries = new ConcurrentHashMap<>();
                context.getBean(MemcachedKeyDump.class)
                    .dump(new java.net.InetSocketAddress(memcached.host(), memcached.port()),
                            (item) -> expiries.put(item.key(), item.expiresAt()));
                for (long id = 1; id <= 50; id++) {
                    assertThat(expiries.get("cache-warming:products:" + id) - now).isBetween(89L, 112L);
                }
            });
    }

    @Test
    void ttlBeyondThirtyDaysIsSentAsAnAbsoluteTimeSoTheItemIsKept(MemcachedServer memcached) {
        seed(3);
        instances(memcached, "spring.cache.cache-names=products", "cache-warming.caches.products.ttl=40d", "cache-warming.caches.products.jitter=0")
            .run((context) -> {
                products(context).get(3L, () -> load(3));

                assertThat(memcached.get("cache-warming:products:3")).as("kept, not expired at once").isNotNull();
                AtomicLong expiresAt = new AtomicLong();
                context.getBean(MemcachedKeyDump.class)
                    .dump(new java.net.InetSocketAddress(memcached.host(), memcached.port()),
                            (item) -> expiresAt.set(item.expiresAt()));
                long days = (expiresAt.get() - System.currentTimeMillis() / 1000) / 86_400;
                assertThat(days).isEqualTo(40);
            });
    }

    @Test
    void absentResultIsSharedForItsAbsentTtl(MemcachedServer memcached) {
        instances(memcached, "spring.cache.cache-names=maybe", "cache-warming.caches.maybe.absent-ttl=30s").run((a) -> instances(memcached).run((b) -> {
            TieredCache maybeA = a.getBean(TieredCacheRegistry.class).cache("maybe", optionalOfProduct(), Long.class);
            TieredCache maybeB = b.getBean(TieredCacheRegistry.class).cache("maybe", optionalOfProduct(), Long.class);

            assertThat(maybeA.get(404L, () -> Optional.ofNullable(load(404)))).isEqualTo(Optional.empty());
            assertThat(maybeB.get(404L, () -> Optional.ofNullable(load(404)))).isEqualTo(Optional.empty());

            assertThat(this.databaseReads).as("the absent result was loaded once").hasValue(1);
            assertThat(maybeB.stats().l2Hits()).isEqualTo(1);
        }));
    }

    private static java.lang.reflect.Type optionalOfProduct() {
        try {
            return Holder.class.getDeclaredMethod("find").getGenericReturnType();
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

    interface Holder {

        Optional<Product> find();
    }

    @Test
    void valueThatDoesNotDecodeAsTheDeclaredTypeIsAMiss(MemcachedServer memcached) {
        seed(5);
        memcached.set("cache-warming:products:5", "{\"v\":\"garbage\"}");
        instances(memcached).run((context) -> {
            assertThat(products(context).get(5L, () -> load(5))).isEqualTo(this.database.get(5L));

            assertThat(products(context).stats().l2DecodeErrors()).isEqualTo(1);
            assertThat(this.databaseReads).hasValue(1);
            assertThat(memcached.get("cache-warming:products:5")).as("replaced by the load").contains("Product 5");
        });
    }

    @Test
    void withoutAnInvalidationChannelAnotherInstanceServesItsCopyUntilItsL1TtlThenReadsTheNewValue(
            MemcachedServer memcached) {
        seed(1);
        String[] settings = { "spring.cache.cache-names=products", "cache-warming.caches.products.l1-ttl=1s", "cache-warming.caches.products.jitter=0" };
        instances(memcached, settings).run((a) -> instances(memcached, settings).run((b) -> {
            products(a).get(1L, () -> load(1));
            products(b).get(1L, () -> load(1));

            Product updated = new Product(1, "Renamed", 999);
            products(a).put(1L, updated);

            assertThat(products(b).getEntry(1L).value()).as("not told: still its copy").isEqualTo(new Product(1,
                    "Product 1", 100));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(
                    () -> assertThat(products(b).getEntry(1L).value()).isEqualTo(updated));
            assertThat(this.databaseReads).as("B re-read Memcached, not the database").hasValue(1);
            assertThat(a.getBean(dev.cachewarming.cache.SharedTierDescription.class).invalidations())
                .isEqualTo("none");
        }));
    }

    @Test
    void evictAndClearRemoveTheCachesItemsAndNoOtherCaches(MemcachedServer memcached) {
        seed(1, 2, 3);
        instances(memcached).run((context) -> {
            TieredCache products = products(context);
            TieredCache others = context.getBean(TieredCacheRegistry.class).cache("others", Product.class, Long.class);
            products.get(1L, () -> load(1));
            products.get(2L, () -> load(2));
            others.get(3L, () -> load(3));

            products.evict(1L);
            assertThat(memcached.get("cache-warming:products:1")).isNull();
            assertThat(memcached.get("cache-warming:products:2")).isNotNull();

            products.clear();
            assertThat(memcached.get("cache-warming:products:2")).isNull();
            assertThat(memcached.get("cache-warming:others:3")).isNotNull();
        });
    }

    @Test
    void memcachedStoppedMidTestIsServedFromL1AndLoadersAndUsedAgainAfterARestart(MemcachedServer memcached) {
        for (long id = 1; id <= 300; id++) {
            seed(id);
        }
        String[] faultSettings = { "cache-warming.memcached.command-timeout=200ms",
                "cache-warming.memcached.circuit-breaker.minimum-calls=3",
                "cache-warming.memcached.circuit-breaker.sliding-window-size=10",
                "cache-warming.memcached.circuit-breaker.open-duration=1s" };
        instances(memcached, faultSettings).run((context) -> {
            TieredCache cache = products(context);
            MemcachedSecondLevel tier = context.getBean(MemcachedSecondLevel.class);
            for (long id = 1; id <= 10; id++) {
                long key = id;
                cache.get(key, () -> load(key));
            }
            int loadsBefore = this.databaseReads.get();

            memcached.stop();

            long start = System.nanoTime();
            for (long id = 1; id <= 10; id++) {
                long key = id;
                assertThat(cache.get(key, () -> load(key))).as("L1 hit").isEqualTo(this.database.get(key));
            }
            assertThat(this.databaseReads).as("L1 served the keys it held").hasValue(loadsBefore);
            for (long id = 100; id < 200; id++) {
                long key = id;
                assertThat(cache.get(key, () -> load(key))).as("loader").isEqualTo(this.database.get(key));
            }
            Duration outageCalls = Duration.ofNanos(System.nanoTime() - start);
            assertThat(tier.isAvailable()).as("circuit breaker open").isFalse();
            assertThat(cache.stats().l2Errors()).as("Memcached calls that failed").isLessThanOrEqualTo(10);
            assertThat(outageCalls).isLessThan(Duration.ofSeconds(10));

            memcached.start();

            AtomicLong probe = new AtomicLong(1000);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long id = probe.incrementAndGet();
                seed(id);
                cache.get(id, () -> load(id));
                return memcached.get("cache-warming:products:" + id) != null;
            });
        });
    }

    @Test
    void warmedBatchKeepsValuesMemcachedHoldsAndReplacesUnusableOnes(MemcachedServer memcached) {
        seed(1, 2, 3);
        instances(memcached).run((a) -> instances(memcached).run((b) -> {
            products(a).put(1L, new Product(1, "written by A", 1));
            memcached.set("cache-warming:products:3", "bad");

            TieredCache cacheB = products(b);
            TieredCache.SharedRead read = cacheB.readSharedAll(List.of(1L, 2L, 3L));
            assertThat(read.found()).containsOnlyKeys(1L);
            assertThat(read.unusable()).containsExactly(3L);

            int stored = cacheB.putWarmed(Map.of(2L, this.database.get(2L), 3L, this.database.get(3L)), 1000,
                    System.nanoTime(), read.unusable());

            assertThat(stored).isEqualTo(2);
            assertThat(memcached.get("cache-warming:products:2")).contains("Product 2");
            assertThat(memcached.get("cache-warming:products:3")).contains("Product 3");
            assertThat(products(a).get(2L, () -> load(2))).isEqualTo(this.database.get(2L));
            assertThat(this.databaseReads).as("A read the warmed value from Memcached").hasValue(0);
        }));
    }
}
