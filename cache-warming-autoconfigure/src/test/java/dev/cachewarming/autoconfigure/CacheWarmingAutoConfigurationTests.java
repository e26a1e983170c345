package dev.cachewarming.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.cachewarming.cache.CacheSettings;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.cache.spring.TieredCacheManager;
import dev.cachewarming.metrics.TieredCacheMeterBinder;
import dev.cachewarming.redis.RedisInvalidationSubscriber;
import dev.cachewarming.redis.RedisSecondLevel;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisServerExtension.class)
class CacheWarmingAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class,
                CacheWarmingMetricsAutoConfiguration.class));

    private final ApplicationContextRunner redisRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
        .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class,
                CacheWarmingMetricsAutoConfiguration.class));

    @Test
    void withoutRedisCachesAreInProcessOnly() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(TieredCacheRegistry.class);
            assertThat(context).doesNotHaveBean(RedisSecondLevel.class);
            TieredCacheRegistry registry = context.getBean(TieredCacheRegistry.class);
            assertThat(registry.hasSecondLevel()).isFalse();
            assertThat(registry.cache("products", String.class, Long.class).isShared()).isFalse();
        });
    }

    @Test
    void exposesTheCachesAsASpringCacheManager() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(CacheManager.class);
            CacheManager cacheManager = context.getBean(CacheManager.class);
            assertThat(cacheManager).isInstanceOf(TieredCacheManager.class);
            cacheManager.getCache("orders").put(1L, "order-1");
            assertThat(cacheManager.getCache("orders").get(1L).get()).isEqualTo("order-1");
            assertThat(context.getBean(TieredCacheRegistry.class).find("orders")).isNotNull();
        });
    }

    @Test
    void cacheManagerBacksOffWhenTheUserDefinesOne() {
        this.runner.withUserConfiguration(UserCacheManagerConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(CacheManager.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
            assertThat(context).hasSingleBean(TieredCacheRegistry.class);
        });
    }

    @Test
    void cacheManagerCanBeSwitchedOff() {
        this.runner.withPropertyValues("cache-warming.cache-manager.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class));
    }

    @Test
    void registryBacksOffWhenTheUserDefinesOne() {
        this.runner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(TieredCacheRegistry.class);
            assertThat(context.getBean(TieredCacheRegistry.class))
                .isSameAs(context.getBean(UserRegistryConfiguration.class).registry);
        });
    }

    @Test
    void everythingBacksOffWhenDisabled() {
        this.runner.withPropertyValues("cache-warming.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(TieredCacheRegistry.class);
            assertThat(context).doesNotHaveBean(CacheManager.class);
            assertThat(context).doesNotHaveBean(TieredCacheMeterBinder.class);
        });
    }

    @Test
    void perCacheSettingsOverrideTheDefaults() {
        // The caches are created after startup, so their names are declared (see ConfiguredCacheNamesTests).
        this.runner
            .withPropertyValues("spring.cache.cache-names=products", "cache-warming.defaults.ttl=20m",
                    "cache-warming.defaults.jitter=0.2",
                    "cache-warming.caches.products.ttl=1h", "cache-warming.caches.products.l1-ttl=5m",
                    "cache-warming.caches.products.l1-max-size=50000", "cache-warming.caches.products.l2-enabled=false",
                    "cache-warming.caches.products.absent-ttl=0", "cache-warming.caches.products.stale-ttl=30s")
            .run((context) -> {
                TieredCacheRegistry registry = context.getBean(TieredCacheRegistry.class);
                CacheSettings products = registry.cache("products", String.class, Long.class).settings();
                assertThat(products).isEqualTo(new CacheSettings(Duration.ofHours(1), Duration.ofMinutes(5), 50_000,
                        false, 0.2, Duration.ZERO, Duration.ofSeconds(30)));
                CacheSettings others = registry.cache("others", String.class, Long.class).settings();
                assertThat(others).isEqualTo(new CacheSettings(Duration.ofMinutes(20), Duration.ofMinutes(20), 10_000,
                        true, 0.2, Duration.ofSeconds(30), Duration.ZERO));
            });
    }

    @Test
    void invalidJitterFailsStartupNamingTheProperty() {
        this.runner.withPropertyValues("cache-warming.caches.products.jitter=1.5").run((context) -> {
            assertThat(context).hasFailed();
            InvalidCacheWarmingPropertyException failure = findCause(context.getStartupFailure());
            assertThat(failure.getProperty()).isEqualTo("cache-warming.caches.products.jitter");
            FailureAnalysis analysis = new InvalidCacheWarmingPropertyFailureAnalyzer()
                .analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("cache-warming.caches.products.jitter").contains("1.5");
            assertThat(analysis.getAction()).contains("cache-warming.caches.products.jitter");
        });
    }

    @Test
    void l1TtlLongerThanTtlFailsStartupNamingTheProperty() {
        this.runner.withPropertyValues("cache-warming.caches.products.ttl=1m", "cache-warming.caches.products.l1-ttl=5m")
            .run((context) -> {
                assertThat(context).hasFailed();
                InvalidCacheWarmingPropertyException failure = findCause(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("cache-warming.caches.products.l1-ttl");
                assertThat(failure.getMessage()).contains("must not exceed the ttl (PT1M)");
            });
    }

    @Test
    void nonPositiveValuesFailStartupNamingTheProperty() {
        this.runner.withPropertyValues("cache-warming.defaults.l1-max-size=0").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure()).getProperty())
                .isEqualTo("cache-warming.defaults.l1-max-size");
        });
        this.runner.withPropertyValues("cache-warming.redis.command-timeout=0s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure()).getProperty())
                .isEqualTo("cache-warming.redis.command-timeout");
        });
    }

    @Test
    void registersMetersForCachesCreatedAfterStartup() {
        this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(TieredCacheMeterBinder.class).bindTo(meters);
            TieredCache cache = context.getBean(TieredCacheRegistry.class).cache("late", String.class, Long.class);

            cache.get(1L, () -> "v");
            cache.get(1L, () -> "v");

            assertThat(meters.get("cache.tiered.gets").tags("cache", "late", "tier", "l1", "result", "hit")
                .functionCounter().count()).isEqualTo(1.0);
            assertThat(meters.get("cache.tiered.loads").tags("cache", "late", "result", "success")
                .functionCounter().count()).isEqualTo(1.0);
            assertThat(meters.get("cache.tiered.size").tags("cache", "late", "tier", "l1").gauge().value())
                .isEqualTo(1.0);
        });
    }

    @Test
    void withRedisCachesAreShared(RedisServer redis) {
        this.redisRunner.withPropertyValues(TestAutoConfigurations.redisProperties(redis)).run((context) -> {
            assertThat(context).hasSingleBean(RedisConnectionFactory.class);
            assertThat(context).hasSingleBean(RedisSecondLevel.class);
            assertThat(context).hasSingleBean(RedisInvalidationSubscriber.class);
            TieredCacheRegistry registry = context.getBean(TieredCacheRegistry.class);
            assertThat(registry.cache("products", String.class, Long.class).isShared()).isTrue();
        });
    }

    @Test
    void redisTierCanBeSwitchedOff(RedisServer redis) {
        this.redisRunner.withPropertyValues(TestAutoConfigurations.redisProperties(redis))
            .withPropertyValues("cache-warming.redis.enabled=false")
            .run((context) -> {
                assertThat(context).hasSingleBean(RedisConnectionFactory.class);
                assertThat(context).doesNotHaveBean(RedisSecondLevel.class);
                assertThat(context.getBean(TieredCacheRegistry.class).hasSecondLevel()).isFalse();
            });
    }

    @Test
    void aCacheCanStayLocalWhileOthersAreShared(RedisServer redis) {
        this.redisRunner.withPropertyValues(TestAutoConfigurations.redisProperties(redis))
            .withPropertyValues("spring.cache.cache-names=prices", "cache-warming.caches.prices.l2-enabled=false")
            .run((context) -> {
                TieredCacheRegistry registry = context.getBean(TieredCacheRegistry.class);
                assertThat(registry.cache("prices", String.class, Long.class).isShared()).isFalse();
                assertThat(registry.cache("products", String.class, Long.class).isShared()).isTrue();
            });
    }

    @Test
    void cacheManagerCachesAreSharedOnlyWithADeclaredValueType(RedisServer redis) {
        this.redisRunner.withPropertyValues(TestAutoConfigurations.redisProperties(redis))
            .withPropertyValues("spring.cache.cache-names=typed",
                    "cache-warming.caches.typed.value-type=java.lang.String")
            .run((context) -> {
                CacheManager cacheManager = context.getBean(CacheManager.class);
                TieredCache typed = (TieredCache) cacheManager.getCache("typed").getNativeCache();
                TieredCache untyped = (TieredCache) cacheManager.getCache("untyped").getNativeCache();
                assertThat(typed.isShared()).isTrue();
                assertThat(untyped.isShared()).isFalse();
            });
    }

    private static InvalidCacheWarmingPropertyException findCause(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof InvalidCacheWarmingPropertyException found) {
                return found;
            }
            current = current.getCause();
        }
        throw new AssertionError("No InvalidCacheWarmingPropertyException in " + failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCacheManagerConfiguration {

        @Bean
        CacheManager userCacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistryConfiguration {

        final TieredCacheRegistry registry = new TieredCacheRegistry((name) -> CacheSettings.DEFAULTS,
                (name) -> null, ValueJson.defaults(), null, java.time.Clock.systemUTC());

        @Bean
        TieredCacheRegistry userRegistry() {
            return this.registry;
        }
    }
}
