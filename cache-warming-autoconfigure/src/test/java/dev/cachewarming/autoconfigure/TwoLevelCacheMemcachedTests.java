package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application contexts ("instances") sharing one real Memcached server, without Redis: what only the Memcached
 * tier does (no invalidation channel, the 30-day rule, warm batches). What every backend does is in
 * {@link SharedTierBehaviourTests} ({@link MemcachedSharedTierBehaviourTests}).
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
