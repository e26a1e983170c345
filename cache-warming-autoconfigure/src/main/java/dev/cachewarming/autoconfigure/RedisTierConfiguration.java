package dev.cachewarming.autoconfigure;

import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.cachewarming.cache.InvalidationListener;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.redis.AdaptiveTimeout;
import dev.cachewarming.redis.FailureBurst;
import dev.cachewarming.redis.RedisAvailabilityMonitor;
import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.redis.RedisInvalidationSubscriber;
import dev.cachewarming.redis.RedisKeys;
import dev.cachewarming.redis.RedisLeaseRegistry;
import dev.cachewarming.redis.RedisSecondLevel;
import dev.cachewarming.stampede.LeaseRegistry;
import dev.cachewarming.stampede.LeaseWaiters;

/**
 * The Redis tier (L2), its load leases, its invalidation channel and what watches Redis's availability, when the
 * application has a Lettuce {@link RedisConnectionFactory} (Spring Boot's default) and
 * {@code cache-warming.redis.enabled} is not false; with Memcached as the shared tier
 * ({@code cache-warming.l2.backend}), only the invalidation channel.
 * With another client (Jedis) the caches stay in-process: the tier relies on Lettuce's asynchronous API for its own
 * command timeouts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class, CircuitBreaker.class })
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "cache-warming.redis.enabled", matchIfMissing = true)
@ConditionalOnSharedTier(SharedTierCondition.Role.REDIS_CONNECTION)
class RedisTierConfiguration {

    private final String instanceId = UUID.randomUUID().toString();

    @Bean
    @ConditionalOnMissingBean(name = "cacheWarmingRedisCircuitBreaker")
    CircuitBreaker cacheWarmingRedisCircuitBreaker(CacheWarmingProperties properties) {
        CacheWarmingProperties.CircuitBreaker settings = properties.getRedis().getCircuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.getSlidingWindowSize())
            .minimumNumberOfCalls(settings.getMinimumCalls())
            .failureRateThreshold(settings.getFailureRateThreshold())
            .slowCallDurationThreshold(settings.getSlowCallDuration())
            .slowCallRateThreshold(settings.getSlowCallRateThreshold())
            .waitDurationInOpenState(settings.getOpenDuration())
            .permittedNumberOfCallsInHalfOpenState(RedisAvailabilityMonitor.HALF_OPEN_CALLS)
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .build();
        return CircuitBreaker.of("cache-warming-redis", config);
    }

    @Bean
    @ConditionalOnMissingBean
    RedisCommandRunner cacheWarmingRedisCommandRunner(RedisConnectionFactory connectionFactory,
            CacheWarmingProperties properties, CircuitBreaker cacheWarmingRedisCircuitBreaker) {
        CacheWarmingProperties.Redis redis = properties.getRedis();
        CacheWarmingProperties.AdaptiveTimeout adaptive = redis.getAdaptiveTimeout();
        AdaptiveTimeout timeout = adaptive.isEnabled()
                ? new AdaptiveTimeout(adaptive.getFloor(), redis.getCommandTimeout(), adaptive.getMultiplier())
                : new AdaptiveTimeout(redis.getCommandTimeout(), redis.getCommandTimeout(), 1);
        CacheWarmingProperties.CircuitBreaker breaker = redis.getCircuitBreaker();
        return new RedisCommandRunner(connectionFactory, redis.getCommandTimeout(), timeout,
                cacheWarmingRedisCircuitBreaker,
                new FailureBurst(breaker.getFastOpenFailures(), breaker.getFastOpenWindow()));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSharedTier(SharedTierCondition.Role.REDIS)
    RedisSecondLevel cacheWarmingRedisSecondLevel(RedisCommandRunner redis, CacheWarmingProperties properties,
            ValueJson json) {
        return new RedisSecondLevel(redis, new RedisKeys(properties.getRedis().getKeyPrefix()), json,
                this.instanceId, properties.getRedis().getBatchWrites() == CacheWarmingProperties.BatchWrites.SCRIPT);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(LeaseRegistry.class)
    @ConditionalOnSharedTier(SharedTierCondition.Role.REDIS)
    RedisLeaseRegistry cacheWarmingLeaseRegistry(RedisCommandRunner redis, CacheWarmingProperties properties,
            RedisSecondLevel secondLevel) {
        return new RedisLeaseRegistry(redis, new RedisKeys(properties.getRedis().getKeyPrefix()), secondLevel);
    }

    @Bean
    @ConditionalOnMissingBean
    LeaseWaiters cacheWarmingLeaseWaiters() {
        return new LeaseWaiters();
    }

    @Bean
    @ConditionalOnMissingBean
    RedisInvalidationSubscriber cacheWarmingInvalidationSubscriber(RedisConnectionFactory connectionFactory,
            CacheWarmingProperties properties, ValueJson json, TieredCacheRegistry registry, LeaseWaiters waiters) {
        return new RedisInvalidationSubscriber(connectionFactory, new RedisKeys(properties.getRedis().getKeyPrefix()),
                json, this.instanceId, InvalidationListener.composite(registry, waiters));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RedisAvailabilityMonitor cacheWarmingRedisAvailabilityMonitor(RedisCommandRunner redis,
            CacheWarmingProperties properties, TieredCacheRegistry registry, LeaseWaiters waiters,
            RedisConnectionFactory connectionFactory) {
        CacheWarmingProperties.Redis settings = properties.getRedis();
        RedisAvailabilityMonitor monitor = new RedisAvailabilityMonitor(redis,
                settings.getCircuitBreaker().getProbeInterval(), settings.getCommandTimeout(),
                InvalidationListener.composite(registry, waiters));
        if (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getClientResources() != null) {
            monitor.watch(lettuce.getClientResources());
        }
        return monitor;
    }
}
