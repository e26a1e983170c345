package dev.cachewarming.autoconfigure;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

/** The shared-tier behaviour on a real Redis. */
@ExtendWith(RedisServerExtension.class)
class RedisSharedTierBehaviourTests extends SharedTierBehaviourTests {

    private RedisServer redis;

    @BeforeEach
    void server(RedisServer redis) {
        this.redis = redis;
    }

    @Override
    protected Backend backend() {
        RedisServer server = this.redis;
        return new Backend() {

            @Override
            public String name() {
                return "redis";
            }

            @Override
            public ApplicationContextRunner instance() {
                return new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
                    .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
                    .withPropertyValues(TestAutoConfigurations.redisProperties(server));
            }

            @Override
            public String keyPrefixProperty() {
                return "cache-warming.redis.key-prefix";
            }

            @Override
            public String[] fastFailure() {
                return new String[] { "cache-warming.redis.command-timeout=200ms",
                        "cache-warming.redis.circuit-breaker.minimum-calls=3",
                        "cache-warming.redis.circuit-breaker.sliding-window-size=10",
                        "cache-warming.redis.circuit-breaker.open-duration=1s" };
            }

            @Override
            public String read(AssertableApplicationContext context, String key) {
                return context.getBean(StringRedisTemplate.class).opsForValue().get(key);
            }

            @Override
            public void write(AssertableApplicationContext context, String key, String value) {
                context.getBean(StringRedisTemplate.class).opsForValue().set(key, value);
            }

            @Override
            public long secondsToLive(AssertableApplicationContext context, String key) {
                return context.getBean(StringRedisTemplate.class).getExpire(key, TimeUnit.SECONDS);
            }

            @Override
            public void stop() {
                server.stop();
            }

            @Override
            public void start() {
                server.start();
            }
        };
    }
}
