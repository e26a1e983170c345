package dev.cachewarming.warming;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The warming engine in real application contexts, with real Redis.
 */
@ExtendWith(RedisServerExtension.class)
class WarmupEngineTests {

    @TempDir
    Path hotKeys;

    private ApplicationContextRunner instance(RedisServer redis, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
                    org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class,
                    CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "cache-warming.warmup.remember.directory=" + this.hotKeys)
            .withPropertyValues(properties)
            .withBean("warmCatalog", WarmCatalog.class, WarmCatalog::new);
    }

    /** What Spring Boot does once the application has started: warming begins. */
    private static WarmupState warm(AssertableApplicationContext context) throws Exception {
        context.publishEvent(new ApplicationReadyEvent(new org.springframework.boot.SpringApplication(), new String[0],
                context.getSourceApplicationContext(org.springframework.context.ConfigurableApplicationContext.class),
                Duration.ZERO));
        DefaultCacheWarming warming = context.getBean(DefaultCacheWarming.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> warming.state().isFinished());
        return warming.state();
    }

    private static CacheWarmupProgress progress(AssertableApplicationContext context, String cache) {
        return context.getBean(DefaultCacheWarming.class).progress().get(cache);
    }

    @Test
    void declaredKeysAreWarmedSoTheFirstCallsAreHits(RedisServer redis) {
        instance(redis).run((context) -> {
            WarmCatalog catalog = context.getBean(WarmCatalog.class);

            assertThat(warm(context)).isEqualTo(WarmupState.COMPLETED);
            int loadsAfterWarmup = catalog.productLoads();
            for (long id = 1; id <= 20; id++) {
                assertThat(catalog.product(id)).isEqualTo("product-" + id);
            }

            assertThat(loadsAfterWarmup).isEqualTo(20);
            assertThat(catalog.productLoads()).as("no load after warming").isEqualTo(20);
            CacheWarmupProgress products = progress(context, "wproducts");
            assertThat(products.declared()).isEqualTo(20);
            assertThat(products.planned()).isEqualTo(20);
            assertThat(products.loaded()).isEqualTo(20);
            assertThat(products.progress()).isEqualTo(1.0);
        });
    }

    @Test
    void batchMethodLoadsKeysInBatchesMapsThemBackAndCachesMissingOnesAsAbsent(RedisServer redis) {
        instance(redis).run((context) -> {
            WarmCatalog catalog = context.getBean(WarmCatalog.class);

            warm(context);

            assertThat(catalog.batchCalls()).as("20 keys in batches of 8").isEqualTo(3);
            assertThat(catalog.priceLoads()).as("the per-key method is not called").isZero();
            assertThat(catalog.price(3L)).isEqualTo(new WarmCatalog.Price(3, 300));
            CacheEntry absent = context.getBean(TieredCacheRegistry.class).find("wprices").getEntry(10L);
            assertThat(absent).isNotNull();
            assertThat(absent.isAbsent()).as("no price for 10: an absent result").isTrue();
            assertThat(catalog.priceLoads()).isZero();
            assertThat(progress(context, "wprices").loaded()).isEqualTo(20);
        });
    }

    @Test
    void keysAlreadyInRedisAreCopiedFromThereWithoutLoading(RedisServer redis) {
        instance(redis).run((first) -> {
            warm(first);
            instance(redis).run((second) -> {
                WarmCatalog catalog = second.getBean(WarmCatalog.class);

                warm(second);

                assertThat(catalog.productLoads()).isZero();
                assertThat(catalog.batchCalls()).isZero();
                assertThat(progress(second, "wproducts").fromL2()).isEqualTo(20);
                assertThat(progress(second, "wprices").fromL2()).as("absent results included").isEqualTo(20);
                assertThat(catalog.product(7L)).isEqualTo("product-7");
                assertThat(catalog.productLoads()).isZero();
            });
        });
    }

    @Test
    void requiredTierFinishesBeforeLowerTiersStart(RedisServer redis) {
        instance(redis).run((context) -> {
            warm(context);

            List<String> order = context.getBean(WarmCatalog.class).loadOrder();
            int lastPrice = order.lastIndexOf("price");
            int firstProduct = order.indexOf("product");
            assertThat(lastPrice).isLessThan(firstProduct);
        });
    }

    @Test
    void rateLimitSpreadsLoadsOverTime(RedisServer redis) {
        instance(redis, "cache-warming.warmup.cache-rate-limit=8", "cache-warming.warmup.concurrency=4")
            .run((context) -> {
                warm(context);

                // 20 products at 8 keys/s: 8 at once, then 12 more need at least 1.5 s.
                CacheWarmupProgress products = progress(context, "wproducts");
                assertThat(products.loaded()).isEqualTo(20);
                assertThat(products.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
            });
    }

    @Test
    void budgetStopsWarmingCleanlyAndReportsWhatWasNotWarmed(RedisServer redis) {
        instance(redis, "cache-warming.warmup.budget=600ms", "cache-warming.warmup.concurrency=1",
                "cache-warming.warmup.batch-size=2").run((context) -> {
                    WarmCatalog catalog = context.getBean(WarmCatalog.class);
                    catalog.setLoadMillis(100);

                    WarmupState state = warm(context);

                    assertThat(state).isEqualTo(WarmupState.BUDGET_EXHAUSTED);
                    CacheWarmupProgress products = progress(context, "wproducts");
                    await().atMost(Duration.ofSeconds(5))
                        .until(() -> products.loaded() + products.skipped() + products.failed() == 20);
                    assertThat(products.skipped()).isPositive();
                    assertThat(products.loaded()).isPositive().isLessThan(20);
                    assertThat(context.getBean(DefaultCacheWarming.class).engine().elapsed())
                        .isLessThan(Duration.ofSeconds(2));
                    assertThat(new dev.cachewarming.gate.WarmupGate(context.getBean(DefaultCacheWarming.class))
                        .isOpen()).as("ready once the budget ran out").isTrue();
                });
    }

    @Test
    void aBudgetOfHoursIsAccepted(RedisServer redis) {
        // The adaptive limit's library refuses waits of an hour or more; the engine must cap them, not fail.
        instance(redis, "cache-warming.warmup.budget=3h", "cache-warming.warmup.max-wait=4h").run((context) -> {
            assertThat(warm(context)).isEqualTo(WarmupState.COMPLETED);
            assertThat(progress(context, "wproducts").loaded()).isEqualTo(20);
        });
    }

    @Test
    void failedLoadsAreCountedAndDoNotStopTheWarmup(RedisServer redis) {
        instance(redis).run((context) -> {
            context.getBean(WarmCatalog.class).setFailingId(5);

            assertThat(warm(context)).isEqualTo(WarmupState.COMPLETED);

            CacheWarmupProgress products = progress(context, "wproducts");
            assertThat(products.failed()).isEqualTo(1);
            assertThat(products.loaded()).isEqualTo(19);
        });
    }

    @Test
    void aFailingBatchCountsEachOfItsKeysAsFailed(RedisServer redis) {
        instance(redis).run((context) -> {
            context.getBean(WarmCatalog.class).setFailingBatches(true);

            assertThat(warm(context)).isEqualTo(WarmupState.COMPLETED);

            CacheWarmupProgress prices = progress(context, "wprices");
            assertThat(prices.failed()).as("3 failed batches of 8, 8 and 4 keys").isEqualTo(20);
            assertThat(prices.loaded()).isZero();
            assertThat(progress(context, "wproducts").loaded()).as("other caches warm on").isEqualTo(20);
        });
    }

    @Test
    void eachCacheReportsHowItsKeysWereLoaded(RedisServer redis) {
        instance(redis).run((context) -> {
            warm(context);

            assertThat(progress(context, "wproducts").loadMode()).isEqualTo(WarmupLoadMode.KEY_BY_KEY);
            assertThat(progress(context, "wprices").loadMode()).isEqualTo(WarmupLoadMode.BATCH_METHOD);
        });
    }

    @Test
    void keyByKeyWarmingTakesNoLeaseAndSendsOneMessagePerBatch(RedisServer redis) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (io.lettuce.core.api.StatefulRedisConnection<String, String> raw = client.connect()) {
            instance(redis).run((context) -> {
                raw.sync().configResetstat();

                warm(context);

                TieredCache products = context.getBean(TieredCacheRegistry.class).find("wproducts");
                assertThat(products.stats().leasesAcquired()).isZero();
                String commands = raw.sync().info("commandstats");
                // 20 products key by key in one batch of 100, 20 prices in 3 batches of 8: 4 batches, each written
                // by one script (its SETs are counted too) and announced by one message; no lease script ran.
                assertThat(commands).contains("cmdstat_publish:calls=4,");
                assertThat(commands).contains("cmdstat_eval:calls=4,").doesNotContain("cmdstat_evalsha");
                assertThat(commands).containsPattern("cmdstat_set:calls=40,");
            });
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    void repopulateWritesAFreshValueWithoutAMissWindow(RedisServer redis) {
        instance(redis).run((a) -> instance(redis).run((b) -> {
            warm(a);
            warm(b);
            WarmCatalog catalogA = a.getBean(WarmCatalog.class);
            assertThat(catalogA.product(3L)).isEqualTo("product-3");
            int loads = catalogA.productLoads();

            Object fresh = a.getBean(CacheWarming.class).repopulate("wproducts", 3L);

            assertThat(fresh).isEqualTo("product-3");
            assertThat(catalogA.productLoads()).as("loaded through the method, bypassing the cache").isEqualTo(loads + 1);
            CacheEntry after = a.getBean(TieredCacheRegistry.class).find("wproducts").peekLocal(3L);
            assertThat(after).isNotNull();
            assertThat(Optional.ofNullable(after.value())).contains("product-3");
        }));
    }

    @Test
    void accessLogIsReplayedMostRequestedFirst(RedisServer redis) throws Exception {
        Path log = Files.createTempFile(this.hotKeys, "access", ".log");
        Files.write(log, List.of("127.0.0.1 - - [24/Nov/2026:06:00:00] \"GET /products/21 HTTP/1.1\" 200",
                "127.0.0.1 - - [24/Nov/2026:06:00:01] \"GET /products/22 HTTP/1.1\" 200",
                "127.0.0.1 - - [24/Nov/2026:06:00:02] \"GET /health HTTP/1.1\" 200",
                "127.0.0.1 - - [24/Nov/2026:06:00:03] \"GET /products/22 HTTP/1.1\" 200",
                "127.0.0.1 - - [24/Nov/2026:06:00:04] \"GET /products/23 HTTP/1.1\" 200"));
        instance(redis, "cache-warming.warmup.access-logs.wproducts.path=" + log,
                "cache-warming.warmup.access-logs.wproducts.pattern=GET /products/(\\d+)").run((context) -> {
                    warm(context);

                    CacheWarmupProgress products = progress(context, "wproducts");
                    assertThat(products.sources()).containsEntry("declared", 20).containsEntry("access-log", 3);
                    TieredCache cache = context.getBean(TieredCacheRegistry.class).find("wproducts");
                    assertThat(cache.peekLocal(21L)).isNotNull();
                    assertThat(cache.peekLocal(22L)).isNotNull();
                    assertThat(cache.peekLocal(23L)).isNotNull();
                });
    }

    @Test
    void accessLogPatternWithoutAGroupFailsStartupNamingTheProperty(RedisServer redis) {
        instance(redis, "cache-warming.warmup.access-logs.wproducts.path=/tmp/none.log",
                "cache-warming.warmup.access-logs.wproducts.pattern=GET /products/\\d+").run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("cache-warming.warmup.access-logs.wproducts.pattern");
                });
    }

    @Test
    void shadowTrafficOfPeersIsWarmed(RedisServer redis) {
        String[] shadow = { "cache-warming.warmup.shadow.enabled=true", "cache-warming.warmup.remember.sample-rate=1" };
        instance(redis, shadow).run((peer) -> {
            WarmCatalog catalog = peer.getBean(WarmCatalog.class);
            StringRedisTemplate raw = peer.getBean(StringRedisTemplate.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                catalog.product(31L);
                catalog.product(32L);
                Long length = raw.opsForStream().size("cache-warming::stream:wproducts");
                return length != null && length >= 2;
            });

            instance(redis, shadow).run((warming) -> {
                warm(warming);

                assertThat(progress(warming, "wproducts").sources()).containsEntry("shadow", 2);
                TieredCache cache = warming.getBean(TieredCacheRegistry.class).find("wproducts");
                assertThat(cache.peekLocal(31L)).isNotNull();
                assertThat(cache.peekLocal(32L)).isNotNull();
            });
        });
    }

    @Test
    void warmingMetersReportKeysByResultAndProgress(RedisServer redis) {
        instance(redis).withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
            .withConfiguration(AutoConfigurations.of(dev.cachewarming.autoconfigure.CacheWarmingMetricsAutoConfiguration.class))
            .run((context) -> {
                io.micrometer.core.instrument.MeterRegistry meters = context
                    .getBean(io.micrometer.core.instrument.MeterRegistry.class);
                context.getBean(dev.cachewarming.metrics.WarmingMeterBinder.class).bindTo(meters);
                context.getBean(WarmCatalog.class).setFailingId(5);

                warm(context);

                assertThat(meters.get("cache.warming.keys").tags("cache", "wproducts", "result", "loaded")
                    .functionCounter().count()).isEqualTo(19.0);
                assertThat(meters.get("cache.warming.keys").tags("cache", "wproducts", "result", "failed")
                    .functionCounter().count()).isEqualTo(1.0);
                assertThat(meters.get("cache.warming.progress").tags("cache", "wproducts").gauge().value())
                    .isEqualTo(1.0);
                assertThat(meters.get("cache.warming.duration").tags("cache", "wproducts").timeGauge()
                    .value(java.util.concurrent.TimeUnit.MILLISECONDS)).isPositive();

                // A re-warm adds to the counters (they never go down): 19 copied from Redis, 5 fails again.
                context.getBean(DefaultCacheWarming.class).rewarm("wproducts").get();
                assertThat(meters.get("cache.warming.keys").tags("cache", "wproducts", "result", "l2")
                    .functionCounter().count()).isEqualTo(19.0);
                assertThat(meters.get("cache.warming.keys").tags("cache", "wproducts", "result", "loaded")
                    .functionCounter().count()).isEqualTo(19.0);
                assertThat(meters.get("cache.warming.keys").tags("cache", "wproducts", "result", "failed")
                    .functionCounter().count()).isEqualTo(2.0);
            });
    }
}
