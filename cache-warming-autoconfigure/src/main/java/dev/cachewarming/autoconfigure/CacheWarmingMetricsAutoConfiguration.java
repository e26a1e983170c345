package dev.cachewarming.autoconfigure;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.redis.RedisSecondLevel;
import dev.cachewarming.metrics.TieredCacheMeterBinder;
import dev.cachewarming.metrics.WarmingMeterBinder;
import dev.cachewarming.warming.DefaultCacheWarming;

/**
 * Micrometer meters for the caches ({@code cache.tiered.*}), when Micrometer is on the classpath. Spring Boot
 * binds {@link MeterBinder} beans to its registry.
 */
@AutoConfiguration(after = CacheWarmingAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(TieredCacheRegistry.class)
public class CacheWarmingMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TieredCacheMeterBinder tieredCacheMeterBinder(TieredCacheRegistry registry) {
        return new TieredCacheMeterBinder(registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DefaultCacheWarming.class)
    static class WarmingMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        WarmingMeterBinder warmingMeterBinder(DefaultCacheWarming warming, TieredCacheRegistry registry) {
            return new WarmingMeterBinder(warming, registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(RedisSecondLevel.class)
    static class RedisTierMetricsConfiguration {

        @Bean
        MeterBinder cacheWarmingRedisAvailabilityMeterBinder(RedisSecondLevel redis) {
            return (registry) -> Gauge.builder("cache.tiered.redis.available", redis, (r) -> r.isAvailable() ? 1 : 0)
                .description("1 while the caches call Redis, 0 while its circuit breaker is open")
                .register(registry);
        }
    }
}
