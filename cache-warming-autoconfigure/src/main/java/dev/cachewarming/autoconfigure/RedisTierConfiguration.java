package dev.cachewarming.autoconfigure;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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
import dev.cachewarming.cache.redis.RedisCommandRunner;
import dev.cachewarming.cache.redis.RedisInvalidationSubscriber;
import dev.cachewarming.cache.redis.RedisKeys;
import dev.cachewarming.cache.redis.RedisLeaseRegistry;
import dev.cachewarming.cache.redis.RedisSecondLevel;
import dev.cachewarming.stampede.LeaseRegistry;
import dev.cachewarming.stampede.LeaseWaiters;

/**
 * The Redis tier (L2), its load leases and its invalidation channel, when the application has a Lettuce
 * {@link RedisConnectionFactory} (Spring Boot's default) and {@code cache-warming.redis.enabled} is not false; with
 * Memcached as the shared tier ({@code cache-warming.l2.backend}), only the invalidation channel.
 * With another client (Jedis) the caches stay in-process: the tier relies on Lettuce's asynchronous API for its own
 * command timeouts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class, CircuitBreaker.class })
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "cache-warming.redis.enabled", matchIfMissing = true)
@ConditionalOnSharedTier(SharedTierCondition.Role.REDIS_CONNECTION)
class RedisTierConfiguration {

    private static final Log logger = LogFactory.getLog(RedisTierConfiguration.class);

    private static final int HALF_OPEN_CALLS = 2;

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
            .waitDurationInOpenState(settings.getOpenDuration())
            .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_CALLS)
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .build();
        return CircuitBreaker.of("cache-warming-redis", config);
    }

    @Bean
    @ConditionalOnMissingBean
    RedisCommandRunner cacheWarmingRedisCommandRunner(RedisConnectionFactory connectionFactory,
            CacheWarmingProperties properties, CircuitBreaker cacheWarmingRedisCircuitBreaker) {
        return new RedisCommandRunner(connectionFactory, properties.getRedis().getCommandTimeout(),
                cacheWarmingRedisCircuitBreaker);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSharedTier(SharedTierCondition.Role.REDIS)
    RedisSecondLevel cacheWarmingRedisSecondLevel(RedisCommandRunner redis, CacheWarmingProperties properties,
            ValueJson json) {
        return new RedisSecondLevel(redis, new RedisKeys(properties.getRedis().getKeyPrefix()), json,
                this.instanceId);
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
            CacheWarmingProperties properties, ValueJson json, TieredCacheRegistry registry, LeaseWaiters waiters,
            CircuitBreaker cacheWarmingRedisCircuitBreaker, RedisCommandRunner redis) {
        RedisInvalidationSubscriber subscriber = new RedisInvalidationSubscriber(connectionFactory,
                new RedisKeys(properties.getRedis().getKeyPrefix()), json, this.instanceId,
                InvalidationListener.composite(registry, waiters));
        cacheWarmingRedisCircuitBreaker.getEventPublisher().onStateTransition((event) -> {
            switch (event.getStateTransition()) {
                case CLOSED_TO_OPEN, HALF_OPEN_TO_OPEN -> logger.warn("Redis is failing: shared caches now serve "
                        + "from the in-process tier and their loaders, and retry Redis in "
                        + properties.getRedis().getCircuitBreaker().getOpenDuration());
                case OPEN_TO_HALF_OPEN -> CompletableFuture.runAsync(() -> redis.probe(HALF_OPEN_CALLS));
                case HALF_OPEN_TO_CLOSED -> {
                    logger.info("Redis answers again: shared caches use it again");
                    subscriber.onRedisRecovered();
                }
                default -> {
                }
            }
        });
        return subscriber;
    }
}
