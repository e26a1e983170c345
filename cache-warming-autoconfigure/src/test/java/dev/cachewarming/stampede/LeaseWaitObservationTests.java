package dev.cachewarming.stampede;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.tck.TestObservationRegistry;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code cache.lease.wait} observation: two instances ("holder" and "waiter") over one real Redis, each with
 * its own observation registry.
 */
@ExtendWith(RedisServerExtension.class)
class LeaseWaitObservationTests {

    private final SlowCatalog catalog = new SlowCatalog();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final TestObservationRegistry holderObservations = TestObservationRegistry.create();

    private final TestObservationRegistry waiterObservations = TestObservationRegistry.create();

    @AfterEach
    void release() {
        this.catalog.openGate();
        this.threads.shutdownNow();
    }

    private ApplicationContextRunner instance(RedisServer redis, TestObservationRegistry observations,
            String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
            .withPropertyValues(properties)
            .withBean(TestObservationRegistry.class, () -> observations)
            .withBean(SlowCatalog.Service.class, () -> new SlowCatalog.Service(this.catalog));
    }

    private static SlowCatalog.Service service(AssertableApplicationContext context) {
        return context.getBean(SlowCatalog.Service.class);
    }

    @Test
    void waiterForAnotherInstancesLoadIsOneLeaseWaitThatEndsWithTheSharedValue(RedisServer redis) {
        instance(redis, this.holderObservations).run((holder) -> instance(redis, this.waiterObservations)
            .run((waiter) -> {
                this.catalog.closeGate();
                Future<String> holding = this.threads.submit(() -> service(holder).product("k1"));
                Assertions.assertThat(this.catalog.awaitLoadStarted()).isTrue();
                Future<String> waiting = this.threads.submit(() -> service(waiter).product("k1"));
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(this.waiterObservations)
                        .hasObservationWithNameEqualTo("cache.lease.wait")
                        .that()
                        .hasBeenStarted());

                this.catalog.openGate();

                Assertions.assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("k1:v1");
                Assertions.assertThat(holding.get(10, TimeUnit.SECONDS)).isEqualTo("k1:v1");
                assertThat(this.waiterObservations).hasNumberOfObservationsEqualTo(1)
                    .hasObservationWithNameEqualTo("cache.lease.wait")
                    .that()
                    .hasContextualNameEqualTo("lease wait slow")
                    .hasLowCardinalityKeyValue("cache", "slow")
                    .hasLowCardinalityKeyValue("result", "shared")
                    .hasOnlyKeys("cache", "result")
                    .doesNotHaveError()
                    .hasBeenStopped();
                assertThat(this.holderObservations).hasNumberOfObservationsEqualTo(1)
                    .hasObservationWithNameEqualTo("cache.load")
                    .that()
                    .hasLowCardinalityKeyValue("trigger", "miss")
                    .hasLowCardinalityKeyValue("result", "success");
            }));
    }

    @Test
    void waitThatTimesOutUnderTheThrowPolicyEndsAsTimeoutWithTheException(RedisServer redis) {
        instance(redis, this.holderObservations).run((holder) -> instance(redis, this.waiterObservations,
                "cache-warming.stampede.wait-timeout=300ms", "cache-warming.stampede.on-wait-timeout=throw")
            .run((waiter) -> {
                this.catalog.closeGate();
                Future<String> holding = this.threads.submit(() -> service(holder).product("k2"));
                Assertions.assertThat(this.catalog.awaitLoadStarted()).isTrue();

                assertThatThrownBy(() -> service(waiter).product("k2"))
                    .isInstanceOf(StampedeWaitTimeoutException.class);

                assertThat(this.waiterObservations).hasObservationWithNameEqualTo("cache.lease.wait")
                    .that()
                    .hasLowCardinalityKeyValue("result", "timeout")
                    .hasBeenStopped()
                    .thenError()
                    .isInstanceOf(StampedeWaitTimeoutException.class);
                this.catalog.openGate();
                Assertions.assertThat(holding.get(10, TimeUnit.SECONDS)).isEqualTo("k2:v1");
            }));
    }
}
