package dev.cachewarming.autoconfigure;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.spring.TieredCacheManager;
import dev.cachewarming.metrics.StandardCacheMeterBinder;
import dev.cachewarming.metrics.TieredCacheMeterBinder;
import dev.cachewarming.metrics.TieredCacheMeterBinderProvider;
import dev.cachewarming.metrics.WarmingMeterBinder;
import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.redis.RedisSecondLevel;
import dev.cachewarming.warming.DefaultCacheWarming;

/**
 * Micrometer meters for the caches, when Micrometer is on the classpath: Spring Boot's standard cache meters
 * ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size}) and ours
 * ({@code cache.tiered.*}, {@code cache.stampede.*}, {@code cache.refresh}, {@code cache.warming.*}). Spring Boot
 * binds {@link MeterBinder} beans to its registry.
 *
 * <p>Ordered before Boot's cache metrics auto-configuration, which binds the caches of every {@code CacheManager}
 * only if a {@code CacheMeterBinderProvider} bean exists when it is processed.
 */
@AutoConfiguration(after = CacheWarmingAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        beforeName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(TieredCacheRegistry.class)
public class CacheWarmingMetricsAutoConfiguration {

    // Boot's CacheMetricsRegistrarConfiguration names a cache manager after its bean, without this suffix.
    private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

    @Bean
    @ConditionalOnMissingBean
    TieredCacheMeterBinder tieredCacheMeterBinder(TieredCacheRegistry registry) {
        return new TieredCacheMeterBinder(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    StandardCacheMeterBinder standardCacheMeterBinder(TieredCacheRegistry registry, ListableBeanFactory beans) {
        return new StandardCacheMeterBinder(registry, cacheManagerTag(beans));
    }

    /**
     * The {@code cache.manager} tag Boot gives the caches of our {@code CacheManager}, so the caches it does not
     * see (created after startup) carry the same; a fixed name when no such bean exposes them.
     */
    static String cacheManagerTag(ListableBeanFactory beans) {
        String[] names = beans.getBeanNamesForType(TieredCacheManager.class, false, false);
        if (names.length != 1) {
            return StandardCacheMeterBinder.DEFAULT_CACHE_MANAGER;
        }
        String name = names[0];
        if (name.length() > CACHE_MANAGER_SUFFIX.length()
                && name.regionMatches(true, name.length() - CACHE_MANAGER_SUFFIX.length(), CACHE_MANAGER_SUFFIX, 0,
                        CACHE_MANAGER_SUFFIX.length())) {
            return name.substring(0, name.length() - CACHE_MANAGER_SUFFIX.length());
        }
        return name;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "org.springframework.boot.cache.metrics.CacheMeterBinderProvider",
            "org.springframework.cache.CacheManager" })
    static class BootCacheMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TieredCacheMeterBinderProvider tieredCacheMeterBinderProvider(StandardCacheMeterBinder binder) {
            return new TieredCacheMeterBinderProvider(binder);
        }
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
    @ConditionalOnBean(dev.cachewarming.write.WriteBehindQueues.class)
    static class WriteBehindMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        dev.cachewarming.metrics.WriteBehindMeterBinder writeBehindMeterBinder(
                dev.cachewarming.write.WriteBehindQueues queues) {
            return new dev.cachewarming.metrics.WriteBehindMeterBinder(queues);
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

        @Bean
        MeterBinder cacheWarmingRedisTimeoutMeterBinder(ObjectProvider<RedisCommandRunner> runner) {
            return (registry) -> runner.ifAvailable((redis) -> TimeGauge
                .builder("cache.tiered.redis.timeout", redis, TimeUnit.NANOSECONDS,
                        (r) -> r.commandTimeout().toNanos())
                .description("Time a Redis command of the caches is given now: a multiple of the recent p99, "
                        + "between adaptive-timeout.floor and command-timeout")
                .register(registry));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "net.rubyeye.xmemcached.MemcachedClient")
    @ConditionalOnBean(type = "dev.cachewarming.memcached.MemcachedCommandRunner")
    static class MemcachedTierMetricsConfiguration {

        @Bean
        MeterBinder cacheWarmingMemcachedAvailabilityMeterBinder(
                dev.cachewarming.memcached.MemcachedCommandRunner memcached) {
            return (registry) -> Gauge
                .builder("cache.tiered.memcached.available", memcached, (m) -> m.isAvailable() ? 1 : 0)
                .description("1 while the caches call Memcached, 0 while its circuit breaker is open")
                .register(registry);
        }
    }
}
