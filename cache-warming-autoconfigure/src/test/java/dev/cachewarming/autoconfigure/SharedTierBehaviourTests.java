package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.cache.SecondLevel;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.stampede.SlowCatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every shared-tier adapter owes the core, run against a real server of each backend (one subclass
 * per backend): read-through, typed values under namespaced keys, TTL, absent results, undecodable values as
 * misses, evict and clear, one load across three instances, and a server stopped mid-test then started again.
 *
 * <p>What only one backend does (Redis pub/sub timing and resync, Memcached's 30-day rule and warm batches) stays in
 * {@code TwoLevelCacheRedisTests} and {@code TwoLevelCacheMemcachedTests}.
 */
abstract class SharedTierBehaviourTests {

    record Product(long id, String name, long priceCents) {
    }

    /** What a test needs of a backend beyond the port: its configuration, and a raw view of its server. */
    interface Backend {

        /** @return {@link SecondLevel#backend()} of the adapter */
        String name();

        /** @return an instance using the backend's test server as its shared tier */
        ApplicationContextRunner instance();

        /** @return the property naming the key prefix */
        String keyPrefixProperty();

        /** @return properties that make the adapter's circuit breaker open after a few failures, for a short while */
        String[] fastFailure();

        /** @return the stored value as text, or {@code null} */
        String read(AssertableApplicationContext context, String key);

        /** Stores a value as text, past the cache. */
        void write(AssertableApplicationContext context, String key, String value);

        /** @return seconds until the key expires */
        long secondsToLive(AssertableApplicationContext context, String key);

        /** Stops the server: connections are refused until {@link #start()}. */
        void stop();

        /** Starts the server again on the same port, empty. */
        void start();
    }

    private final Map<Long, Product> database = new ConcurrentHashMap<>();

    private final AtomicInteger databaseReads = new AtomicInteger();

    private final SlowCatalog catalog = new SlowCatalog();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** @return the backend under test; called once the test's server is known */
    protected abstract Backend backend();

    @AfterEach
    void releaseCallers() {
        this.catalog.openGate();
        this.threads.shutdownNow();
    }

    private ApplicationContextRunner instances(String... properties) {
        return backend().instance().withPropertyValues(properties);
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
    void valueLoadedByOneInstanceIsReadFromTheSharedTierByAnother() {
        seed(1);
        instances().run((a) -> instances().run((b) -> {
            assertThat(products(a).sharedTierBackend()).isEqualTo(backend().name());
            assertThat(products(a).get(1L, () -> load(1))).isEqualTo(this.database.get(1L));

            assertThat(products(b).get(1L, () -> load(1))).isEqualTo(this.database.get(1L));
            assertThat(products(b).get(1L, () -> load(1))).isEqualTo(this.database.get(1L));

            assertThat(this.databaseReads).as("loads across both instances").hasValue(1);
            assertThat(products(b).stats().l2Hits()).isEqualTo(1);
            assertThat(products(b).stats().l1Hits()).isEqualTo(1);
        }));
    }

    @Test
    void sharedTierHoldsTypedJsonWithoutClassNamesUnderANamespacedKey() {
        seed(7);
        instances(backend().keyPrefixProperty() + "=shop").run((context) -> {
            products(context).get(7L, () -> load(7));

            assertThat(backend().read(context, "shop:products:7"))
                .startsWith("{\"v\":{\"id\":7,\"name\":\"Product 7\",\"priceCents\":700},\"w\":")
                .doesNotContain("@class")
                .doesNotContain("dev.cachewarming");
        });
    }

    @Test
    void sharedTierExpiryIsTheJitteredTtl() {
        instances("spring.cache.cache-names=products", "cache-warming.caches.products.ttl=100s",
                "cache-warming.caches.products.jitter=0.1")
            .run((context) -> {
                for (long id = 1; id <= 50; id++) {
                    products(context).put(id, new Product(id, "p", 1));
                }
                for (long id = 1; id <= 50; id++) {
                    // 90 to 110 s; Memcached counts whole seconds, rounded up plus one.
                    assertThat(backend().secondsToLive(context, "cache-warming:products:" + id)).isBetween(88L, 112L);
                }
            });
    }

    @Test
    void absentResultIsSharedForItsAbsentTtl() {
        String[] settings = { "spring.cache.cache-names=maybe", "cache-warming.caches.maybe.absent-ttl=30s" };
        instances(settings).run((a) -> instances(settings).run((b) -> {
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
    void valueThatDoesNotDecodeAsTheDeclaredTypeIsAMissAndIsReplacedByTheLoad() {
        seed(5);
        instances().run((context) -> {
            backend().write(context, "cache-warming:products:5", "{\"v\":\"garbage\"}");

            assertThat(products(context).get(5L, () -> load(5))).isEqualTo(this.database.get(5L));

            assertThat(products(context).stats().l2DecodeErrors()).isEqualTo(1);
            assertThat(this.databaseReads).hasValue(1);
            assertThat(backend().read(context, "cache-warming:products:5")).as("replaced by the load")
                .contains("Product 5");
        });
    }

    @Test
    void evictAndClearRemoveTheCachesValuesAndNoOtherCaches() {
        seed(1, 2, 3);
        instances().run((context) -> {
            TieredCache products = products(context);
            TieredCache others = context.getBean(TieredCacheRegistry.class).cache("others", Product.class, Long.class);
            products.get(1L, () -> load(1));
            products.get(2L, () -> load(2));
            others.get(3L, () -> load(3));

            products.evict(1L);
            assertThat(backend().read(context, "cache-warming:products:1")).isNull();
            assertThat(backend().read(context, "cache-warming:products:2")).isNotNull();

            products.clear();
            assertThat(backend().read(context, "cache-warming:products:2")).isNull();
            assertThat(backend().read(context, "cache-warming:others:3")).isNotNull();
        });
    }

    @Test
    void concurrentMissesAcrossThreeInstancesLoadOnce() {
        ApplicationContextRunner instance = instances()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
            .withBean(SlowCatalog.Service.class, () -> new SlowCatalog.Service(this.catalog));
        instance.run((a) -> instance.run((b) -> instance.run((c) -> {
            this.catalog.closeGate();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (AssertableApplicationContext context : List.of(a, b, c)) {
                SlowCatalog.Service service = context.getBean(SlowCatalog.Service.class);
                for (int i = 0; i < 200; i++) {
                    results.add(this.threads.submit(() -> {
                        start.await();
                        return service.product("k");
                    }));
                }
            }

            start.countDown();
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            // Every caller is waiting: 199 per instance on its own flight, and two flight leaders on the lease.
            await().atMost(Duration.ofSeconds(20)).until(() -> slow(a).coalescedLoads() + slow(b).coalescedLoads()
                    + slow(c).coalescedLoads() == 597
                    && slow(a).stats().leasesLost() + slow(b).stats().leasesLost() + slow(c).stats().leasesLost() >= 2);
            this.catalog.openGate();

            for (Future<String> result : results) {
                assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo("k:v1");
            }
            assertThat(this.catalog.loads()).as("loads across 600 callers on 3 instances").isEqualTo(1);
            assertThat(slow(a).stats().leasesAcquired() + slow(b).stats().leasesAcquired()
                    + slow(c).stats().leasesAcquired()).isEqualTo(1);
        })));
    }

    private static TieredCache slow(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).find("slow");
    }

    @Test
    void serverStoppedMidTestIsServedFromL1AndLoadersAndUsedAgainAfterARestart() {
        for (long id = 1; id <= 300; id++) {
            seed(id);
        }
        instances(backend().fastFailure()).run((context) -> {
            TieredCache cache = products(context);
            SecondLevel tier = context.getBean(SecondLevel.class);
            for (long id = 1; id <= 10; id++) {
                long key = id;
                cache.get(key, () -> load(key));
            }
            int loadsBefore = this.databaseReads.get();

            backend().stop();

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
            assertThat(cache.stats().l2Errors()).as("calls that failed before the breaker opened")
                .isLessThanOrEqualTo(10);
            // 100 misses would wait 100 x 200 ms on timeouts without the breaker.
            assertThat(outageCalls).isLessThan(Duration.ofSeconds(10));

            backend().start();

            AtomicLong probe = new AtomicLong(1000);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long id = probe.incrementAndGet();
                seed(id);
                cache.get(id, () -> load(id));
                return backend().read(context, "cache-warming:products:" + id) != null;
            });
        });
    }
}
