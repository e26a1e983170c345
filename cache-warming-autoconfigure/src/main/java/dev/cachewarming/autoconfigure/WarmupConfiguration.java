package dev.cachewarming.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.ConversionService;

import dev.cachewarming.cache.ArgumentsKey;
import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.interceptor.KeySourceFactory;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.redis.RedisHotKeyStore;
import dev.cachewarming.redis.RedisKeys;
import dev.cachewarming.redis.RedisShadowTraffic;
import dev.cachewarming.warming.AccessLogSource;
import dev.cachewarming.warming.WarmableMethod;
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
    @ConditionalOnBooleanProperty(name = "cache-warming.warmup.shadow.enabled")
    static class ShadowTrafficConfiguration {

        @Bean
        RedisShadowTraffic cacheWarmingShadowTraffic(RedisCommandRunner redis, CacheWarmingProperties properties,
                DefaultCacheWarming cacheWarming) {
            RedisShadowTraffic shadow = new RedisShadowTraffic(redis,
                    new RedisKeys(properties.getRedis().getKeyPrefix()),
                    properties.getWarmup().getShadow().getMaxLength());
            cacheWarming.setShadowTraffic(shadow);
            return shadow;
        }

        @Bean
        @Order(2)
        KeySourceFactory cacheWarmingShadowKeySources(RedisShadowTraffic shadow, CacheWarmingProperties properties) {
            CacheWarmingProperties.Warmup warmup = properties.getWarmup();
            return (cacheName, method, argumentsCodec) -> new WarmableMethod.KeySource("shadow", () -> {
                List<Object[]> calls = new ArrayList<>();
                for (String encoded : shadow.recent(cacheName, warmup.getShadow().getWindow(), warmup.getMaxKeys())) {
                    try {
                        calls.add(((ArgumentsKey) argumentsCodec.localFromEncoded(encoded)).arguments());
                    }
                    catch (RuntimeException ex) {
                        // Published by a version with other parameter types.
                    }
                }
                return calls;
            });
        }
    }

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
    DefaultCacheWarming cacheWarming(CacheWarmingProperties properties, HotKeyStore store,
            CacheObservations observations) {
        CacheWarmingProperties.Warmup warmup = properties.getWarmup();
        WarmupSettings settings = new WarmupSettings(warmup.getBudget(), warmup.getMaxWait(),
                warmup.getOnRequiredTimeout() == CacheWarmingProperties.RequiredTimeoutPolicy.FAIL,
                warmup.getConcurrency(), warmup.isAdaptiveConcurrency(), warmup.getBatchSize(), warmup.getRateLimit(), warmup.getCacheRateLimit(),
                warmup.getMaxKeys(), warmup.getProgressInterval());
        CacheWarmingProperties.Remember remember = warmup.getRemember();
        return new DefaultCacheWarming(settings, remember.isEnabled() ? store : null, remember.getPersistInterval(),
                remember.getDecay(), remember.getCapacity(), warmup.getHotKeyAlertRate(), observations);
    }

    @Bean
    @Order(1)
    KeySourceFactory cacheWarmingAccessLogKeySources(CacheWarmingProperties properties) {
        Map<String, CacheWarmingProperties.AccessLog> logs = properties.getWarmup().getAccessLogs();
        ConversionService conversion = ApplicationConversionService.getSharedInstance();
        return (cacheName, method, argumentsCodec) -> {
            CacheWarmingProperties.AccessLog log = logs.get(cacheName);
            if (log == null) {
                return null;
            }
            if (method.getParameterCount() != 1) {
                throw new InvalidCacheWarmingPropertyException("cache-warming.warmup.access-logs." + cacheName
                        + ".pattern", log.getPattern(), "access-log replay needs a method with one parameter",
                        "Remove the access log of cache '" + cacheName + "', or warm it from another source.");
            }
            Class<?> type = method.getParameterTypes()[0];
            return new WarmableMethod.KeySource("access-log", new AccessLogSource(log.getPath(),
                    Pattern.compile(log.getPattern()), log.getSampleRate(), properties.getWarmup().getMaxKeys(),
                    (text) -> conversion.convert(text, type)));
        };
    }

    @Bean(destroyMethod = "close")
    WarmupLauncher cacheWarmingLauncher(DefaultCacheWarming cacheWarming, ApplicationEventPublisher events) {
        return new WarmupLauncher(cacheWarming, events);
    }
}
