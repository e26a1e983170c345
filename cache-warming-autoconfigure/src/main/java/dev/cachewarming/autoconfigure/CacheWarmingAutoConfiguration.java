package dev.cachewarming.autoconfigure;

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

/**
 * Auto-configuration of the two-level caches: Caffeine always, Redis when a {@code RedisConnectionFactory}
 * exists ({@link RedisTierConfiguration}), and a Spring {@link CacheManager} over them unless the application
 * has its own.
 *
 * <p>Ordered after Boot's Jackson and Redis auto-configurations (whose beans it uses) and before Boot's cache
 * auto-configuration (so that its {@code CacheManager} is the one {@code @EnableCaching} finds).
 */
@AutoConfiguration(
        afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" },
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBooleanProperty(name = "cache-warming.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CacheWarmingProperties.class)
@Import({ RedisTierConfiguration.class, CachedMethodsConfiguration.class, WarmupConfiguration.class })
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
    TieredCacheRegistry tieredCacheRegistry(PropertiesCacheSettings settings, ValueJson json,
            ObjectProvider<SecondLevel> secondLevel) {
        return new TieredCacheRegistry(settings, settings::valueType, json, secondLevel.getIfAvailable(),
                CoarseClock.INSTANCE);
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
