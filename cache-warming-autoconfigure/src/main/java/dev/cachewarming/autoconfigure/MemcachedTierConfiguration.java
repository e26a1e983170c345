package dev.cachewarming.autoconfigure;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.memcached.LeaseReleaseWatch;
import dev.cachewarming.memcached.MemcachedCommandRunner;
import dev.cachewarming.memcached.MemcachedHotKeyStore;
import dev.cachewarming.memcached.MemcachedKeyDump;
import dev.cachewarming.memcached.MemcachedKeys;
import dev.cachewarming.memcached.MemcachedLeaseRegistry;
import dev.cachewarming.memcached.MemcachedSecondLevel;
import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.redis.RedisInvalidationSubscriber;
import dev.cachewarming.redis.RedisKeys;
import dev.cachewarming.redis.RedisPubSubInvalidationChannel;
import dev.cachewarming.stampede.LeaseRegistry;
import dev.cachewarming.stampede.LeaseWaiters;
import dev.cachewarming.warming.HotKeyStore;

/**
 * The Memcached tier (L2), its load leases and its hot-key store, when {@code cache-warming.l2.backend} asks for
 * it (or is {@code auto} with {@code cache-warming.memcached.servers} set) and xmemcached is on the classpath.
 * Other instances hear of writes through Redis pub/sub when the application also has Redis (and
 * {@code cache-warming.memcached.invalidations} is {@code auto}); otherwise they are not told, and callers waiting
 * for another instance's load find its lease released by reading it ({@link LeaseReleaseWatch}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ MemcachedClient.class, CircuitBreaker.class })
@ConditionalOnSharedTier(SharedTierCondition.Role.MEMCACHED)
@EnableConfigurationProperties(MemcachedProperties.class)
class MemcachedTierConfiguration {

    private static final Log logger = LogFactory.getLog(MemcachedTierConfiguration.class);

    private static final int HALF_OPEN_CALLS = 2;

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MemcachedCommandRunner cacheWarmingMemcachedCommandRunner(MemcachedProperties properties,
            ObjectProvider<TieredCacheRegistry> registry) {
        if (!properties.hasServers()) {
            throw new InvalidCacheWarmingPropertyException("cache-warming.memcached.servers", "",
                    "cache-warming.l2.backend is memcached, and no Memcached server is configured",
                    "Set 'cache-warming.memcached.servers' to your servers (e.g. cache-1:11211,cache-2:11211), or "
                            + "set 'cache-warming.l2.backend' to auto, redis or none.");
        }
        XMemcachedClientBuilder builder;
        try {
            builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(properties.getServers().trim()));
        }
        catch (RuntimeException ex) {
            throw new InvalidCacheWarmingPropertyException("cache-warming.memcached.servers", properties.getServers(),
                    "not a list of host:port (" + ex.getMessage() + ")",
                    "Set 'cache-warming.memcached.servers' to host:port pairs separated by commas or spaces.");
        }
        builder.setSessionLocator(new KetamaMemcachedSessionLocator());
        builder.setConnectTimeout(properties.getConnectTimeout().toMillis());
        builder.setOpTimeout(properties.getCommandTimeout().toMillis());
        // Reconnect within a second of a server coming back (xmemcached's default waits two).
        builder.setHealSessionInterval(1000);
        MemcachedClient client;
        try {
            client = builder.build();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot create the Memcached client for " + properties.getServers(), ex);
        }
        CircuitBreaker breaker = circuitBreaker(properties);
        MemcachedCommandRunner runner = new MemcachedCommandRunner(client, properties.getCommandTimeout(), breaker);
        breaker.getEventPublisher().onStateTransition((event) -> {
            switch (event.getStateTransition()) {
                case CLOSED_TO_OPEN, HALF_OPEN_TO_OPEN -> logger.warn("Memcached is failing: shared caches now "
                        + "serve from the in-process tier and their loaders, and retry Memcached in "
                        + properties.getCircuitBreaker().getOpenDuration());
                case OPEN_TO_HALF_OPEN -> CompletableFuture.runAsync(() -> runner.probe(HALF_OPEN_CALLS));
                case HALF_OPEN_TO_CLOSED -> {
                    logger.info("Memcached answers again: shared caches use it again");
                    // Evictions made meanwhile are sent now, and in-process copies dropped, as after a Redis outage.
                    registry.ifAvailable(TieredCacheRegistry::resyncRequired);
                }
                default -> {
                }
            }
        });
        return runner;
    }

    private static CircuitBreaker circuitBreaker(MemcachedProperties properties) {
        MemcachedProperties.CircuitBreaker settings = properties.getCircuitBreaker();
        return CircuitBreaker.of("cache-warming-memcached", CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.getSlidingWindowSize())
            .minimumNumberOfCalls(settings.getMinimumCalls())
            .failureRateThreshold(settings.getFailureRateThreshold())
            .waitDurationInOpenState(settings.getOpenDuration())
            .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_CALLS)
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .build());
    }

    @Bean
    @ConditionalOnMissingBean
    MemcachedKeys cacheWarmingMemcachedKeys(MemcachedProperties properties) {
        try {
            return new MemcachedKeys(properties.getKeyPrefix());
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidCacheWarmingPropertyException("cache-warming.memcached.key-prefix",
                    properties.getKeyPrefix(), "not usable in a Memcached key",
                    "Set 'cache-warming.memcached.key-prefix' to 1 to 100 printable ASCII characters without spaces "
                            + "or '%'.");
        }
    }

    @Bean
    @ConditionalOnMissingBean
    MemcachedKeyDump cacheWarmingMemcachedKeyDump(MemcachedCommandRunner memcached, MemcachedProperties properties) {
        return new MemcachedKeyDump(memcached::servers, properties.getConnectTimeout(),
                properties.getCommandTimeout().multipliedBy(20));
    }

    @Bean
    @ConditionalOnMissingBean(InvalidationChannel.class)
    InvalidationChannel cacheWarmingInvalidationChannel() {
        return InvalidationChannel.NONE;
    }

    @Bean
    @ConditionalOnMissingBean
    MemcachedSecondLevel cacheWarmingMemcachedSecondLevel(MemcachedCommandRunner memcached, MemcachedKeys keys,
            InvalidationChannel channel, MemcachedKeyDump dump) {
        return new MemcachedSecondLevel(memcached, keys, channel, dump, Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(LeaseRegistry.class)
    MemcachedLeaseRegistry cacheWarmingLeaseRegistry(MemcachedCommandRunner memcached, MemcachedKeys keys,
            InvalidationChannel channel) {
        return new MemcachedLeaseRegistry(memcached, keys, channel, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    LeaseWaiters cacheWarmingLeaseWaiters() {
        return new LeaseWaiters();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(type = "dev.cachewarming.redis.RedisInvalidationSubscriber")
    LeaseReleaseWatch cacheWarmingLeaseReleaseWatch(MemcachedCommandRunner memcached, MemcachedKeys keys,
            LeaseWaiters waiters, MemcachedProperties properties) {
        return new LeaseReleaseWatch(memcached, keys, waiters, properties.getLeasePollInterval());
    }

    /** Without Redis, hot keys are remembered in Memcached (with Redis, in its sorted sets). */
    @Bean
    @ConditionalOnMissingBean(value = HotKeyStore.class, type = "dev.cachewarming.redis.RedisCommandRunner")
    MemcachedHotKeyStore cacheWarmingMemcachedHotKeyStore(MemcachedCommandRunner memcached, MemcachedKeys keys,
            ValueJson json) {
        return new MemcachedHotKeyStore(memcached, keys, json);
    }

    /**
     * With Redis as well, writes to Memcached are published on Redis's invalidation channel, which every
     * instance's {@link RedisInvalidationSubscriber} hears.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.lettuce.core.RedisClient")
    @ConditionalOnBean(RedisInvalidationSubscriber.class)
    static class RedisInvalidationsConfiguration {

        @Bean
        @ConditionalOnMissingBean(InvalidationChannel.class)
        RedisPubSubInvalidationChannel cacheWarmingRedisInvalidationChannel(RedisCommandRunner redis,
                ObjectProvider<RedisInvalidationSubscriber> subscriber, CacheWarmingProperties properties,
                ValueJson json) {
            // The subscriber is asked for lazily: it needs the caches, which need this channel.
            return new RedisPubSubInvalidationChannel(redis, new RedisKeys(properties.getRedis().getKeyPrefix()),
                    json, () -> subscriber.getObject().instanceId());
        }
    }
}
