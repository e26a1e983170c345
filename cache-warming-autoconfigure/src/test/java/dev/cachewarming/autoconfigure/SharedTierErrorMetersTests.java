package dev.cachewarming.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.metrics.TieredCacheMeterBinder;
import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared-tier errors are counted under the backend that had them: {@code cache.tiered.l2.errors{backend}} for
 * every backend, and the older {@code cache.tiered.redis.errors} for Redis only.
 */
@ExtendWith({ RedisServerExtension.class, MemcachedServerExtension.class })
class SharedTierErrorMetersTests {

    private static final String UNDECODABLE = "{\"v\":\"not a number\",\"w\":1,\"e\":9999999999999,\"l\":0}";

    @Test
    void redisErrorsCountUnderTheL2NameTaggedRedisAndUnderTheRedisName(RedisServer redis) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
            .withPropertyValues(TestAutoConfigurations.redisProperties(redis))
            .run((context) -> {
                MeterRegistry meters = bind(context);
                context.getBean(StringRedisTemplate.class).opsForValue().set("cache-warming:counts:1", UNDECODABLE);

                assertThat(counts(context).get(1L, () -> 1L)).isEqualTo(1L);

                assertThat(errors(meters, "cache.tiered.l2.errors", "redis", "decode")).isEqualTo(1.0);
                assertThat(errors(meters, "cache.tiered.l2.errors", "redis", "command")).isZero();
                assertThat(meters.get("cache.tiered.redis.errors").tags("cache", "counts", "kind", "decode")
                    .functionCounter().count()).isEqualTo(1.0);
            });
    }

    @Test
    void memcachedErrorsCountUnderTheL2NameTaggedMemcachedAndNeverAsRedis(MemcachedServer memcached) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
            .withPropertyValues(TestAutoConfigurations.memcachedProperties(memcached))
            .run((context) -> {
                MeterRegistry meters = bind(context);
                memcached.set("cache-warming:counts:1", UNDECODABLE);

                assertThat(counts(context).get(1L, () -> 1L)).isEqualTo(1L);

                assertThat(errors(meters, "cache.tiered.l2.errors", "memcached", "decode")).isEqualTo(1.0);
                assertThat(meters.find("cache.tiered.redis.errors").meters()).isEmpty();
            });
    }

    private static MeterRegistry bind(AssertableApplicationContext context) {
        MeterRegistry meters = new SimpleMeterRegistry();
        new TieredCacheMeterBinder(context.getBean(TieredCacheRegistry.class)).bindTo(meters);
        counts(context);
        return meters;
    }

    private static TieredCache counts(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).cache("counts", Long.class, Long.class);
    }

    private static double errors(MeterRegistry meters, String name, String backend, String kind) {
        return meters.get(name).tags("cache", "counts", "backend", backend, "kind", kind).functionCounter().count();
    }
}
