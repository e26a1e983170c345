package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.support.CompositeCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.spring.TieredCacheManager;
import dev.cachewarming.metrics.StandardCacheMeterBinder;
import dev.cachewarming.metrics.TieredCacheMeterBinderProvider;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;
import dev.cachewarming.warming.WarmCatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot's standard cache meters ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions},
 * {@code cache.size}) for the two-level caches, with Boot's own metrics and cache metrics auto-configurations, read
 * through Boot's {@link MetricsEndpoint} as {@code /actuator/metrics/cache.gets} would show them.
 */
@ExtendWith(RedisServerExtension.class)
class StandardCacheMetersTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                AopAutoConfiguration.class, CacheAutoConfiguration.class, CacheMetricsAutoConfiguration.class,
                CacheWarmingAutoConfiguration.class, CacheWarmingMetricsAutoConfiguration.class));

    private ApplicationContextRunner withRedis(RedisServer redis) {
        return this.runner.withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withPropertyValues(TestAutoConfigurations.redisProperties(redis));
    }

    @Test
    void cacheableCallsPublishBootsCacheMetersTaggedWithTheCacheManager() {
        this.runner.withUserConfiguration(CachingConfiguration.class).run((context) -> {
            BookService books = context.getBean(BookService.class);

            books.title(1L);
            books.title(1L);
            books.title(2L);

            assertThat(count(context, "cache.gets", "cache:books", "result:hit")).isEqualTo(1.0);
            assertThat(count(context, "cache.gets", "cache:books", "result:miss")).isEqualTo(2.0);
            assertThat(count(context, "cache.puts", "cache:books")).isEqualTo(2.0);
            assertThat(value(context, "cache.size", "cache:books")).isEqualTo(2.0);
            assertThat(count(context, "cache.evictions", "cache:books")).isZero();
            Meter hits = meters(context).get("cache.gets").tags("cache", "books", "result", "hit").meter();
            assertThat(hits.getId().getTag("cache.manager")).isEqualTo("cacheManager");
            assertThat(hits.getId().getTag("name")).isEqualTo("books");
        });
    }

    @Test
    void prometheusShowsTheSeriesThatDashboardsForSpringCachesQuery() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
                    CacheAutoConfiguration.class, CacheMetricsAutoConfiguration.class,
                    CacheWarmingAutoConfiguration.class, CacheWarmingMetricsAutoConfiguration.class))
            .withUserConfiguration(CachingConfiguration.class)
            .run((context) -> {
                context.getBean(BookService.class).title(1L);
                context.getBean(BookService.class).title(1L);

                String labels = "cache=\"books\",cache_manager=\"cacheManager\",name=\"books\"";
                assertThat(context.getBean(PrometheusMeterRegistry.class).scrape()).contains(
                        "cache_gets_total{" + labels + ",result=\"hit\"} 1.0",
                        "cache_gets_total{" + labels + ",result=\"miss\"} 1.0",
                        "cache_puts_total{" + labels + "} 1.0", "cache_size{" + labels + "} 1.0");
            });
    }

    @Test
    void cachesOfAnnotatedMethodsCreatedAfterBootBoundItsCachesHaveTheMetersToo() {
        this.runner.withBean("warmCatalog", WarmCatalog.class, WarmCatalog::new)
            .withPropertyValues("cache-warming.warmup.enabled=false")
            .run((context) -> {
                WarmCatalog catalog = context.getBean(WarmCatalog.class);

                catalog.product(1L);
                catalog.product(1L);
                catalog.product(1L);

                assertThat(count(context, "cache.gets", "cache:wproducts", "result:hit")).isEqualTo(2.0);
                assertThat(count(context, "cache.gets", "cache:wproducts", "result:miss")).isEqualTo(1.0);
                assertThat(meters(context).get("cache.gets").tags("cache", "wproducts").meters())
                    .allSatisfy((meter) -> assertThat(meter.getId().getTag("cache.manager")).isEqualTo("cacheManager"))
                    .hasSize(2);
            });
    }

    @Test
    void redisAvailabilityAndTheCommandTimeoutInForceArePublished(RedisServer redis) {
        withRedis(redis).withPropertyValues("cache-warming.redis.command-timeout=300ms").run((context) -> {
            assertThat(value(context, "cache.tiered.redis.available")).isEqualTo(1.0);
            assertThat(value(context, "cache.tiered.redis.timeout")).as("seconds, before any answer is seen")
                .isEqualTo(0.3);

            for (long id = 1; id <= 200; id++) {
                products(context).get(id, () -> "product");
            }

            assertThat(value(context, "cache.tiered.redis.timeout")).as("adapted to a healthy Redis")
                .isLessThan(0.3);
        });
    }

    @Test
    void aValueReadFromRedisIsAHitAndTheLoadOnlyMissesOnce(RedisServer redis) {
        withRedis(redis).run((a) -> withRedis(redis).run((b) -> {
            products(a).get(1L, () -> "product-1");

            products(b).get(1L, () -> "product-1");
            products(b).get(1L, () -> "product-1");

            assertThat(count(a, "cache.gets", "cache:products", "result:miss")).isEqualTo(1.0);
            assertThat(count(a, "cache.gets", "cache:products", "result:hit")).isZero();
            assertThat(count(b, "cache.gets", "cache:products", "result:hit")).as("from Redis, then from L1")
                .isEqualTo(2.0);
            assertThat(count(b, "cache.gets", "cache:products", "result:miss")).isZero();
            assertThat(count(b, "cache.puts", "cache:products")).as("copied into L1 is not a put").isZero();
            assertThat(count(b, "cache.tiered.gets", "cache:products", "tier:l2", "result:hit")).isEqualTo(1.0);
        }));
    }

    @Test
    void callersWaitingForOneLoadAreEachCountedOnceAsAMiss(RedisServer redis) throws Exception {
        int callers = 8;
        withRedis(redis).run((context) -> {
            TieredCache products = products(context);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger loads = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(callers);
            try {
                List<Future<Object>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    calls.add(threads.submit(() -> products.get(7L, () -> {
                        loads.incrementAndGet();
                        release.await();
                        return "product-7";
                    })));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> products.coalescedLoads() == callers - 1);
                release.countDown();
                for (Future<Object> call : calls) {
                    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("product-7");
                }
            }
            finally {
                threads.shutdownNow();
            }

            assertThat(loads).hasValue(1);
            assertThat(count(context, "cache.gets", "cache:products", "result:miss")).isEqualTo(callers);
            assertThat(count(context, "cache.gets", "cache:products", "result:hit")).isZero();
            assertThat(count(context, "cache.tiered.gets", "cache:products", "tier:l2", "result:miss"))
                .as("only the flight's leader read Redis")
                .isEqualTo(1.0);
        });
    }

    @Test
    void aCacheBootBoundUnderItsCacheManagerIsNotBoundAgainUnderAnotherName() {
        this.runner.withUserConfiguration(WrappingCacheManagerConfiguration.class).run((context) -> {
            TieredCacheRegistry registry = context.getBean(TieredCacheRegistry.class);
            assertThat(context.getBean(StandardCacheMeterBinder.class).cacheManager())
                .as("no TieredCacheManager bean")
                .isEqualTo("cacheWarming");

            registry.find("catalog").get(1L, () -> "item-1");
            registry.cache("late", String.class, Long.class).get(1L, () -> "item-1");

            assertThat(meters(context).get("cache.gets").tags("cache", "catalog").meters())
                .allSatisfy((meter) -> assertThat(meter.getId().getTag("cache.manager")).isEqualTo("catalog"))
                .hasSize(2);
            assertThat(count(context, "cache.gets", "cache:catalog", "result:miss")).isEqualTo(1.0);
            assertThat(meters(context).get("cache.gets").tags("cache", "late").meters())
                .allSatisfy((meter) -> assertThat(meter.getId().getTag("cache.manager")).isEqualTo("cacheWarming"))
                .hasSize(2);
        });
    }

    @Test
    void bootsCacheMetricsGetOurBinderProvider() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(TieredCacheMeterBinderProvider.class)
            .hasSingleBean(StandardCacheMeterBinder.class));
    }

    @Test
    void standardMetersBackOffWhenTheUserBindsTheCachesThemselves() {
        this.runner.withBean("myBinder", StandardCacheMeterBinder.class,
                () -> new StandardCacheMeterBinder(new TieredCacheRegistry((name) -> null, (name) -> null, null, null,
                        java.time.Clock.systemUTC()), "mine"))
            .run((context) -> assertThat(context).getBean(StandardCacheMeterBinder.class)
                .isSameAs(context.getBean("myBinder")));
    }

    private static TieredCache products(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).cache("products", String.class, Long.class);
    }

    static MeterRegistry meters(AssertableApplicationContext context) {
        return context.getBean(MeterRegistry.class);
    }

    /** What {@code GET /actuator/metrics/{name}?tag=...} answers, as a number. */
    static double count(AssertableApplicationContext context, String name, String... tags) {
        return measurement(context, name, Statistic.COUNT, tags);
    }

    static double value(AssertableApplicationContext context, String name, String... tags) {
        return measurement(context, name, Statistic.VALUE, tags);
    }

    private static double measurement(AssertableApplicationContext context, String name, Statistic statistic,
            String... tags) {
        MetricsEndpoint.MetricDescriptor metric = new MetricsEndpoint(meters(context)).metric(name, List.of(tags));
        assertThat(metric).as(name + " " + List.of(tags)).isNotNull();
        return metric.getMeasurements()
            .stream()
            .filter((sample) -> sample.getStatistic() == statistic)
            .findFirst()
            .orElseThrow()
            .getValue();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingConfiguration {

        @Bean
        BookService bookService() {
            return new BookService();
        }
    }

    static class BookService {

        @Cacheable("books")
        public String title(Long id) {
            return "title-" + id;
        }
    }

    /** A cache manager of the user's own that exposes one of the two-level caches at startup. */
    @Configuration(proxyBeanMethods = false)
    static class WrappingCacheManagerConfiguration {

        @Bean
        CacheManager catalogCacheManager(TieredCacheRegistry registry) {
            TieredCacheManager tiered = new TieredCacheManager(registry);
            tiered.getCache("catalog");
            return new CompositeCacheManager(tiered);
        }
    }
}
