package dev.cachewarming.refresh;

import java.time.Duration;

import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code cache.refresh.reload} observation of {@code @RefreshAhead}, with real Redis. */
@ExtendWith(RedisServerExtension.class)
class RefreshObservationTests {

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private ApplicationContextRunner instance(RedisServer redis) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "cache-warming.caches.quotes.ttl=2s", "cache-warming.caches.quotes.jitter=0",
                    "cache-warming.refresh.threshold=0.3", "cache-warming.refresh.sweep-interval=50ms")
            .withBean(TestObservationRegistry.class, () -> this.observations)
            .withBean(RefreshAheadTests.Quotes.class, RefreshAheadTests.Quotes::new);
    }

    @Test
    void refreshIsARefreshObservationWithItsLoadInside(RedisServer redis) {
        instance(redis).run((context) -> {
            RefreshAheadTests.Quotes quotes = context.getBean(RefreshAheadTests.Quotes.class);
            TieredCache cache = context.getBean(TieredCacheRegistry.class).find("quotes");
            quotes.quote("AAA");

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                quotes.quote("AAA");
                return cache.stats().refreshesSucceeded() >= 1;
            });

            assertThat(this.observations).hasObservationWithNameEqualTo("cache.refresh.reload")
                .that()
                .hasContextualNameEqualTo("refresh quotes")
                .hasLowCardinalityKeyValue("cache", "quotes")
                .hasLowCardinalityKeyValue("result", "success")
                .hasOnlyKeys("cache", "result")
                .hasBeenStopped();
            assertThat(this.observations).hasAnObservation((load) -> load.hasNameEqualTo("cache.load")
                .hasLowCardinalityKeyValue("trigger", "refresh")
                .hasLowCardinalityKeyValue("result", "success")
                .hasParentObservationContextMatching(
                        (parent) -> "cache.refresh.reload".equals(((Observation.ContextView) parent).getName())));
        });
    }

    @Test
    void failedRefreshIsAFailedRefreshObservationWithItsError(RedisServer redis) {
        instance(redis).run((context) -> {
            RefreshAheadTests.Quotes quotes = context.getBean(RefreshAheadTests.Quotes.class);
            TieredCache cache = context.getBean(TieredCacheRegistry.class).find("quotes");
            quotes.quote("BBB");
            quotes.setFailing(true);

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                quotes.quote("BBB");
                return cache.stats().refreshesFailed() >= 1;
            });

            assertThat(this.observations).hasAnObservation((refresh) -> refresh.hasNameEqualTo("cache.refresh.reload")
                .hasLowCardinalityKeyValue("result", "failure")
                .hasError());
        });
    }
}
