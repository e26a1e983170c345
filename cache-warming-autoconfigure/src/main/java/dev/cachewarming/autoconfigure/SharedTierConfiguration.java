package dev.cachewarming.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.cache.SecondLevel;
import dev.cachewarming.cache.SharedTierDescription;
import dev.cachewarming.warming.HotKeyStore;

/**
 * Checks that the shared tier asked for with {@code cache-warming.l2.backend} is the one in use (startup fails with
 * what to do otherwise), and describes it for {@code /actuator/warming} and the startup log.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(L2Properties.class)
class SharedTierConfiguration {

    private static final Log logger = LogFactory.getLog(SharedTierConfiguration.class);

    @Bean
    SharedTierDescription cacheWarmingSharedTier(L2Properties l2, ObjectProvider<SecondLevel> secondLevel,
            ObjectProvider<InvalidationChannel> channel, ObjectProvider<HotKeyStore> hotKeys,
            CacheWarmingProperties properties, Environment environment) {
        SecondLevel tier = secondLevel.getIfAvailable();
        String backend = backend(tier);
        check(l2.getBackend(), backend, properties);
        String invalidations;
        String staleness;
        if (tier == null) {
            invalidations = "none";
            staleness = SharedTierDescription.STALENESS_LOCAL;
        }
        else if (backend.equals("redis")) {
            invalidations = "redis-pubsub";
            staleness = SharedTierDescription.STALENESS_PUBLISHED;
        }
        else {
            InvalidationChannel messages = channel.getIfAvailable(() -> InvalidationChannel.NONE);
            invalidations = messages.describe();
            staleness = messages.reachesOtherInstances() ? SharedTierDescription.STALENESS_PUBLISHED
                    : SharedTierDescription.STALENESS_L1_TTL;
        }
        HotKeyStore store = hotKeys.getIfAvailable();
        boolean redisConnection = ClassUtils.isPresent("dev.cachewarming.redis.RedisCommandRunner", null)
                && secondLevelOrMessagesUseRedis(backend, invalidations);
        String shadow = redisConnection ? "available" : "unavailable: shadow traffic needs Redis (a stream)";
        SharedTierDescription description = new SharedTierDescription(backend, invalidations, staleness,
                (store != null) ? store.describe() : "none", shadow);
        if (tier != null) {
            logger.info("Shared tier (L2): " + backend + "; invalidations: " + invalidations + " (staleness of "
                    + "other instances' in-process copies: " + staleness + ")");
        }
        if (!redisConnection && environment.getProperty("cache-warming.warmup.shadow.enabled", Boolean.class, false)) {
            logger.warn("cache-warming.warmup.shadow.enabled is true, but shadow traffic needs Redis (a stream) and "
                    + "the shared tier is " + backend + " without Redis: warm-ups read no shadow traffic");
        }
        return description;
    }

    private static boolean secondLevelOrMessagesUseRedis(String backend, String invalidations) {
        return backend.equals("redis") || invalidations.equals("redis-pubsub");
    }

    private static String backend(SecondLevel tier) {
        return (tier != null) ? tier.backend() : "none";
    }

    private static void check(L2Properties.Backend asked, String used, CacheWarmingProperties properties) {
        switch (asked) {
            case REDIS -> {
                if (!used.equals("redis")) {
                    throw new InvalidCacheWarmingPropertyException("cache-warming.l2.backend", "redis",
                            redisReason(properties),
                            "Add spring-boot-starter-data-redis (Lettuce, its default client) and set "
                                    + "spring.data.redis.host/port, remove 'cache-warming.redis.enabled=false', or "
                                    + "set 'cache-warming.l2.backend' to auto, memcached or none.");
                }
            }
            case MEMCACHED -> {
                if (!used.equals("memcached")) {
                    throw new InvalidCacheWarmingPropertyException("cache-warming.l2.backend", "memcached",
                            "the Memcached client xmemcached is not on the classpath",
                            "Add the dependency com.googlecode.xmemcached:xmemcached (2.4.8), or set "
                                    + "'cache-warming.l2.backend' to auto, redis or none.");
                }
            }
            default -> {
            }
        }
    }

    private static String redisReason(CacheWarmingProperties properties) {
        if (!properties.getRedis().isEnabled()) {
            return "cache-warming.redis.enabled is false";
        }
        return "there is no Lettuce RedisConnectionFactory (spring-boot-starter-data-redis with its default client)";
    }
}
