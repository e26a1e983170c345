package dev.cachewarming.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.cache.redis.RedisCommandRunner;
import dev.cachewarming.cache.redis.RedisHotKeyStore;
import dev.cachewarming.cache.redis.RedisKeys;
import dev.cachewarming.warming.DefaultCacheWarming;
import dev.cachewarming.warming.FileHotKeyStore;
import dev.cachewarming.warming.HotKeyStore;
import dev.cachewarming.warming.WarmupSettings;

/**
 * Warming of {@code @Warmable} methods: the hot-key store (Redis when the Redis tier is on, otherwise files), the
 * {@link DefaultCacheWarming} API and the launcher that starts warming once the application is ready.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "cache-warming.warmup.enabled", matchIfMissing = true)
class WarmupConfiguration {

    @Bean
    @ConditionalOnMissingBean(HotKeyStore.class)
    FileHotKeyStore cacheWarmingHotKeyStore(CacheWarmingProperties properties, ValueJson json) {
        return new FileHotKeyStore(properties.getWarmup().getRemember().getDirectory(), json);
    }

    /**
     * With the Redis tier on, hot keys are shared in Redis. A real dependency on the runner (not an
     * {@code ObjectProvider}) keeps Redis open until the final save at shutdown.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(RedisCommandRunner.class)
    static class RedisHotKeyStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean(HotKeyStore.class)
        RedisHotKeyStore cacheWarmingRedisHotKeyStore(RedisCommandRunner redis, CacheWarmingProperties properties) {
            return new RedisHotKeyStore(redis, new RedisKeys(properties.getRedis().getKeyPrefix()));
        }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DefaultCacheWarming cacheWarming(CacheWarmingProperties properties, HotKeyStore store) {
        CacheWarmingProperties.Warmup warmup = properties.getWarmup();
        WarmupSettings settings = new WarmupSettings(warmup.getBudget(), warmup.getMaxWait(),
                warmup.getOnRequiredTimeout() == CacheWarmingProperties.RequiredTimeoutPolicy.FAIL,
                warmup.getConcurrency(), warmup.getBatchSize(), warmup.getRateLimit(), warmup.getCacheRateLimit(),
                warmup.getMaxKeys(), warmup.getProgressInterval());
        CacheWarmingProperties.Remember remember = warmup.getRemember();
        return new DefaultCacheWarming(settings, remember.isEnabled() ? store : null, remember.getPersistInterval(),
                remember.getDecay(), remember.getCapacity(), warmup.getHotKeyAlertRate());
    }

    @Bean(destroyMethod = "close")
    WarmupLauncher cacheWarmingLauncher(DefaultCacheWarming cacheWarming, ApplicationEventPublisher events) {
        return new WarmupLauncher(cacheWarming, events);
    }
}
