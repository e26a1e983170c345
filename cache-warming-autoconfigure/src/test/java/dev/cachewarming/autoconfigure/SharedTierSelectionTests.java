package dev.cachewarming.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.cache.SecondLevel;
import dev.cachewarming.cache.SharedTierDescription;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.memcached.MemcachedHotKeyStore;
import dev.cachewarming.memcached.MemcachedLeaseRegistry;
import dev.cachewarming.memcached.MemcachedSecondLevel;
import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.redis.RedisHotKeyStore;
import dev.cachewarming.redis.RedisPubSubInvalidationChannel;
import dev.cachewarming.redis.RedisSecondLevel;
import dev.cachewarming.stampede.LeaseRegistry;
import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;
import dev.cachewarming.warming.FileHotKeyStore;
import dev.cachewarming.warming.HotKeyStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cache-warming.l2.backend}: which shared tier each combination of configuration gets, and the startup
 * failure when the one asked for cannot be used.
 */
@ExtendWith({ MemcachedServerExtension.class, RedisServerExtension.class })
class SharedTierSelectionTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class));

    private ApplicationContextRunner withRedis(RedisServer redis) {
        return this.runner.withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withPropertyValues(TestAutoConfigurations.redisProperties(redis));
    }

    @Test
    void autoPicksMemcachedWhenItsServersAreSet(MemcachedServer memcached) {
        this.runner.withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached)).run((context) -> {
            assertThat(context).hasSingleBean(SecondLevel.class).hasSingleBean(MemcachedSecondLevel.class);
            assertThat(context.getBean(LeaseRegistry.class)).isInstanceOf(MemcachedLeaseRegistry.class);
            assertThat(context.getBean(HotKeyStore.class)).isInstanceOf(MemcachedHotKeyStore.class);
            assertThat(context.getBean(InvalidationChannel.class)).isSameAs(InvalidationChannel.NONE);
            SharedTierDescription l2 = context.getBean(SharedTierDescription.class);
            assertThat(l2.backend()).isEqualTo("memcached");
            assertThat(l2.staleness()).isEqualTo(SharedTierDescription.STALENESS_L1_TTL);
            assertThat(l2.shadowTraffic()).startsWith("unavailable");
        });
    }

    @Test
    void autoPicksRedisWhenNoMemcachedServerIsSet(RedisServer redis) {
        withRedis(redis).run((context) -> {
            assertThat(context).hasSingleBean(SecondLevel.class).hasSingleBean(RedisSecondLevel.class)
                .doesNotHaveBean(MemcachedSecondLevel.class);
            assertThat(context.getBean(SharedTierDescription.class).backend()).isEqualTo("redis");
            assertThat(context.getBean(SharedTierDescription.class).invalidations()).isEqualTo("redis-pubsub");
        });
    }

    @Test
    void memcachedWithRedisTooKeepsValuesInMemcachedAndPublishesOnRedis(MemcachedServer memcached,
            RedisServer redis) {
        withRedis(redis).withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached)).run((context) -> {
            assertThat(context).hasSingleBean(SecondLevel.class).hasSingleBean(MemcachedSecondLevel.class)
                .doesNotHaveBean(RedisSecondLevel.class);
            assertThat(context.getBean(LeaseRegistry.class)).isInstanceOf(MemcachedLeaseRegistry.class);
            assertThat(context.getBean(InvalidationChannel.class)).isInstanceOf(RedisPubSubInvalidationChannel.class);
            assertThat(context.getBean(HotKeyStore.class)).as("sorted sets, with Redis there")
                .isInstanceOf(RedisHotKeyStore.class);
            SharedTierDescription l2 = context.getBean(SharedTierDescription.class);
            assertThat(l2.invalidations()).isEqualTo("redis-pubsub");
            assertThat(l2.staleness()).isEqualTo(SharedTierDescription.STALENESS_PUBLISHED);
        });
    }

    @Test
    void writeToMemcachedOnOneInstanceDropsTheOthersCopyThroughRedis(MemcachedServer memcached, RedisServer redis) {
        ApplicationContextRunner instance = withRedis(redis)
            .withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached));
        instance.run((a) -> instance.run((b) -> {
            TieredCache cacheA = a.getBean(TieredCacheRegistry.class).cache("names", String.class, Long.class);
            TieredCache cacheB = b.getBean(TieredCacheRegistry.class).cache("names", String.class, Long.class);
            cacheA.get(1L, () -> "first");
            assertThat(cacheB.get(1L, () -> "never loaded")).isEqualTo("first");

            cacheA.put(1L, "second");

            await().atMost(Duration.ofSeconds(2)).until(() -> "second".equals(cacheB.getEntry(1L).value()));
            assertThat(memcached.get("cache-warming:names:1")).contains("\"second\"");
        }));
    }

    @Test
    void memcachedInvalidationsNoneLeavesRedisOutEntirely(MemcachedServer memcached, RedisServer redis) {
        withRedis(redis).withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached))
            .withPropertyValues("cache-warming.memcached.invalidations=none")
            .run((context) -> {
                assertThat(context).hasSingleBean(MemcachedSecondLevel.class).doesNotHaveBean(RedisCommandRunner.class);
                assertThat(context.getBean(InvalidationChannel.class)).isSameAs(InvalidationChannel.NONE);
            });
    }

    @Test
    void backendRedisIgnoresMemcachedServers(MemcachedServer memcached, RedisServer redis) {
        withRedis(redis).withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached))
            .withPropertyValues("cache-warming.l2.backend=redis")
            .run((context) -> assertThat(context).hasSingleBean(RedisSecondLevel.class)
                .doesNotHaveBean(MemcachedSecondLevel.class));
    }

    @Test
    void backendNoneKeepsEveryCacheInProcessEvenWithRedisAndMemcached(MemcachedServer memcached, RedisServer redis) {
        withRedis(redis).withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached))
            .withPropertyValues("cache-warming.l2.backend=none")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(SecondLevel.class).doesNotHaveBean(LeaseRegistry.class);
                assertThat(context.getBean(HotKeyStore.class)).isInstanceOf(FileHotKeyStore.class);
                assertThat(context.getBean(SharedTierDescription.class).backend()).isEqualTo("none");
                assertThat(context.getBean(TieredCacheRegistry.class).cache("x", String.class, Long.class).isShared())
                    .isFalse();
            });
    }

    @Test
    void backendMemcachedWithoutServersFailsStartupNamingTheProperty() {
        this.runner.withPropertyValues("cache-warming.l2.backend=memcached").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("cache-warming.memcached.servers")
                .contains("no Memcached server is configured");
            assertThat(analysis.getAction()).contains("Set 'cache-warming.memcached.servers'");
        });
    }

    @Test
    void backendMemcachedWithoutTheClientFailsStartupNamingTheDependency() {
        this.runner.withClassLoader(new FilteredClassLoader("net.rubyeye.xmemcached"))
            .withPropertyValues("cache-warming.l2.backend=memcached", "cache-warming.memcached.servers=localhost:1")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("cache-warming.l2.backend")
                    .contains("xmemcached is not on the classpath");
                assertThat(analysis.getAction()).contains("com.googlecode.xmemcached:xmemcached");
            });
    }

    @Test
    void backendRedisWithoutRedisFailsStartupNamingTheFix() {
        this.runner.withPropertyValues("cache-warming.l2.backend=redis").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                .contains("Invalid value 'redis' for property 'cache-warming.l2.backend'")
                .contains("no Lettuce RedisConnectionFactory");
            assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis");
        });
    }

    @Test
    void memcachedTimeoutBelowAMillisecondFailsStartupNamingTheProperty() {
        this.runner.withPropertyValues("cache-warming.memcached.servers=127.0.0.1:1",
                "cache-warming.memcached.command-timeout=0ms").run((context) -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                        .contains("Invalid value 'PT0S' for property 'cache-warming.memcached.command-timeout'");
                    assertThat(analysis.getAction()).contains("such as 250ms");
                });
    }

    @Test
    void memcachedStartsWhileItsServerIsDownAndServesFromLoaders() {
        this.runner.withPropertyValues("cache-warming.memcached.servers=127.0.0.1:1",
                "cache-warming.memcached.circuit-breaker.minimum-calls=2").run((context) -> {
                    assertThat(context).hasNotFailed();
                    TieredCache cache = context.getBean(TieredCacheRegistry.class).cache("x", String.class, Long.class);
                    for (long id = 0; id < 5; id++) {
                        long key = id;
                        assertThat(cache.get(key, () -> "v" + key)).isEqualTo("v" + key);
                    }
                    assertThat(context.getBean(MemcachedSecondLevel.class).isAvailable()).isFalse();
                });
    }

    private static FailureAnalysis analyze(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidCacheWarmingPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("an InvalidCacheWarmingPropertyException in " + failure).isNotNull();
        return new InvalidCacheWarmingPropertyFailureAnalyzer().analyze(failure);
    }
}
