package dev.cachewarming.warming;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

/**
 * The {@code cache.warming} and {@code cache.warming.batch} observations, with real Redis. {@link WarmCatalog}
 * warms 20 products key by key (one batch) and 20 prices through a batch method in batches of 8 (three batches).
 */
@ExtendWith(RedisServerExtension.class)
class WarmupObservationTests {

    @TempDir
    Path hotKeys;

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private ApplicationContextRunner instance(RedisServer redis) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "cache-warming.warmup.remember.directory=" + this.hotKeys)
            .withBean(TestObservationRegistry.class, () -> this.observations)
            .withBean("warmCatalog", WarmCatalog.class, WarmCatalog::new);
    }

    /** Runs the warm-up the launcher would start once the application is ready, and waits for its end. */
    private static WarmupState warm(AssertableApplicationContext context) throws Exception {
        return context.getBean(DefaultCacheWarming.class).start().get(30, TimeUnit.SECONDS);
    }

    @Test
    void warmUpIsOneWarmingObservationWithOneBatchObservationPerBatchInside(RedisServer redis) {
        instance(redis).run((context) -> {
            WarmupState state = warm(context);

            org.assertj.core.api.Assertions.assertThat(state).isEqualTo(WarmupState.COMPLETED);
            assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("cache.warming", 1)
                .hasObservationWithNameEqualTo("cache.warming")
                .that()
                .hasContextualNameEqualTo("warm-up")
                .hasLowCardinalityKeyValue("cache", "all")
                .hasLowCardinalityKeyValue("result", "completed")
                .hasOnlyKeys("cache", "result")
                .hasBeenStopped();
            assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("cache.warming.batch", 4)
                .forAllObservationsWithNameEqualTo("cache.warming.batch", (batch) -> batch
                    .hasLowCardinalityKeyValue("result", "success")
                    .hasOnlyKeys("cache", "load.mode", "tier", "result")
                    .hasParentObservationContextMatching(
                        (parent) -> "cache.warming".equals(((Observation.ContextView) parent).getName())));
            assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> {
                org.assertj.core.api.Assertions.assertThat(contexts)
                    .filteredOn((handled) -> "cache.warming.batch".equals(handled.getName()))
                    .extracting((handled) -> handled.getLowCardinalityKeyValue("cache").getValue() + " "
                            + handled.getLowCardinalityKeyValue("load.mode").getValue() + " "
                            + handled.getLowCardinalityKeyValue("tier").getValue())
                    .containsExactlyInAnyOrder("wprices batch-method required", "wprices batch-method required",
                            "wprices batch-method required", "wproducts key-by-key low");
            });
        });
    }

    @Test
    void batchWhoseLoadFailsIsAFailedBatchObservationWithItsError(RedisServer redis) {
        instance(redis).run((context) -> {
            context.getBean(WarmCatalog.class).setFailingBatches(true);

            warm(context);

            assertThat(this.observations).forAllObservationsWithNameEqualTo("cache.warming.batch", (batch) -> {
                Observation.ContextView handled = (Observation.ContextView) batch.actual();
                if ("wprices".equals(handled.getLowCardinalityKeyValue("cache").getValue())) {
                    batch.hasLowCardinalityKeyValue("result", "failure")
                        .thenError()
                        .hasMessage("the price database is down");
                }
            });
        });
    }

    @Test
    void rewarmOfOneCacheIsAWarmingObservationNamedForThatCache(RedisServer redis) {
        instance(redis).run((context) -> {
            context.getBean(DefaultCacheWarming.class).rewarm("wproducts").get(30, TimeUnit.SECONDS);

            assertThat(this.observations).hasObservationWithNameEqualTo("cache.warming")
                .that()
                .hasContextualNameEqualTo("warm-up wproducts")
                .hasLowCardinalityKeyValue("cache", "wproducts");
        });
    }
}
