package dev.cachewarming.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.cachewarming.cache.SecondLevel;
import dev.cachewarming.cache.CoarseClock;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.cache.spring.TieredCacheManager;
import dev.cachewarming.observation.CacheLoadObservationConvention;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.observation.CacheRefreshObservationConvention;
import dev.cachewarming.observation.LeaseWaitObservationConvention;
import dev.cachewarming.observation.WarmupBatchObservationConvention;
import dev.cachewarming.observation.WarmupObservationConvention;

/**
 * Auto-configuration of the two-level caches: Caffeine always, a shared tier chosen by
 * {@code cache-warming.l2.backend} (Redis when a {@code RedisConnectionFactory} exists,
 * {@link RedisTierConfiguration}; Memcached when its servers are configured, {@link MemcachedTierConfiguration}),
 * and a Spring {@link CacheManager} over them unless the application has its own.
 *
 * <p>Ordered after Boot's Jackson and Redis auto-configurations (whose beans it uses) and before Boot's cache
 * auto-configuration (so that its {@code CacheManager} is the one {@code @EnableCaching} finds).
 *
 * <p>Loads, refreshes, lease waits and warm-ups are observed through the application's {@link ObservationRegistry}
 * (Boot's, with the actuator), named by the {@code *ObservationConvention} beans if there are any; without a
 * registry nothing is observed.
 */
@AutoConfiguration(
        afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" },
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBooleanProperty(name = "cache-warming.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CacheWarmingProperties.class)
// Memcached after Redis: its conditions look for Redis's beans (a channel for its invalidations).
@Import({ RedisTierConfiguration.class, LettuceRecoveryConfiguration.class, MemcachedTierConfiguration.class,
        SharedTierConfiguration.class, CachedMethodsConfiguration.class, WriteMethodsConfiguration.class,
        WarmupConfiguration.class })
public class CacheWarmingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ValueJson cacheWarmingValueJson(ObjectProvider<JsonMapper> jsonMapper) {
        return ValueJson.from(jsonMapper.getIfUnique());
    }

    @Bean
    PropertiesCacheSettings cacheWarmingCacheSettings(CacheWarmingProperties properties) {
        return new PropertiesCacheSettings(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    CacheObservations cacheWarmingObservations(ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<CacheLoadObservationConvention> loadConvention,
            ObjectProvider<CacheRefreshObservationConvention> refreshConvention,
            ObjectProvider<LeaseWaitObservationConvention> leaseWaitConvention,
            ObjectProvider<WarmupObservationConvention> warmupConvention,
            ObjectProvider<WarmupBatchObservationConvention> batchConvention) {
        return new CacheObservations(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
                loadConvention.getIfAvailable(), refreshConvention.getIfAvailable(),
                leaseWaitConvention.getIfAvailable(), warmupConvention.getIfAvailable(),
                batchConvention.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    TieredCacheRegistry tieredCacheRegistry(PropertiesCacheSettings settings, ValueJson json,
            ObjectProvider<SecondLevel> secondLevel, CacheObservations observations) {
        return new TieredCacheRegistry(settings, settings::valueType, json, secondLevel.getIfAvailable(),
                CoarseClock.INSTANCE, observations);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CacheManager.class)
    @ConditionalOnBooleanProperty(name = "cache-warming.cache-manager.enabled", matchIfMissing = true)
    static class CacheManagerConfiguration {

        @Bean
        @ConditionalOnMissingBean(CacheManager.class)
        TieredCacheManager cacheManager(TieredCacheRegistry registry) {
            return new TieredCacheManager(registry);
        }
    }
}
