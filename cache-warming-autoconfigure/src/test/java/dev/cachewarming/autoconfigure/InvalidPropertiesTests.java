package dev.cachewarming.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import dev.cachewarming.test.redis.RedisServerExtension;
import dev.cachewarming.warming.CacheWarming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every numeric and duration property of {@link CacheWarmingProperties} with a value the starter cannot run with
 * (zero, negative, out of range, or below the millisecond its schedulers and Redis work in): startup fails with
 * Boot's failure analysis naming the property and the fix, before any executor, rate limiter or circuit breaker
 * built from it can fail first with its own message. The application has every part that reads the properties:
 * Redis (a real server) for the tier and its circuit breaker, warming, refresh-ahead and meters, and a bean of its
 * own that needs {@link CacheWarming}, as the sample's does: user beans are created first, so that is what made
 * {@code warmup.concurrency=0} fail inside the warming's thread pool, with no message, before the check ran.
 * {@code cache-warming.interceptor.order} is left out: every {@code int} is a valid order.
 */
@ExtendWith({ RedisServerExtension.class, OutputCaptureExtension.class })
class InvalidPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
        .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class,
                CacheWarmingMetricsAutoConfiguration.class))
        .withPropertyValues(TestAutoConfigurations.redisProperties(RedisServerExtension.sharedServer()))
        .withBean(PriceUpdates.class);

    @ParameterizedTest(name = "cache-warming.{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            defaults.ttl                                | 0
            defaults.ttl                                | -1s
            defaults.l1-ttl                             | 0
            defaults.l1-ttl                             | 1h
            defaults.l1-max-size                        | 0
            defaults.jitter                             | 1
            defaults.jitter                             | -0.1
            defaults.absent-ttl                         | -1s
            defaults.stale-ttl                          | -1s
            caches.products.ttl                         | 0
            caches.products.l1-ttl                      | -1s
            caches.products.l1-max-size                 | -5
            caches.products.jitter                      | 1.5
            caches.products.absent-ttl                  | -1s
            caches.products.stale-ttl                   | -1s
            redis.command-timeout                       | 0
            redis.circuit-breaker.failure-rate-threshold | 0
            redis.circuit-breaker.failure-rate-threshold | 101
            redis.circuit-breaker.sliding-window-size   | 0
            redis.circuit-breaker.minimum-calls         | 0
            redis.circuit-breaker.open-duration         | 0
            redis.circuit-breaker.open-duration         | 500us
            redis.circuit-breaker.fast-open-failures    | 0
            redis.circuit-breaker.fast-open-window      | 0
            redis.circuit-breaker.slow-call-duration    | 0
            redis.circuit-breaker.slow-call-rate-threshold | 0
            redis.circuit-breaker.slow-call-rate-threshold | 101
            redis.circuit-breaker.probe-interval        | 0
            redis.adaptive-timeout.multiplier           | 0.5
            redis.adaptive-timeout.floor                | 0
            redis.max-reconnect-delay                   | 0
            redis.cluster.refresh-period                | 0
            redis.cluster.adaptive-refresh-timeout      | 500us
            stampede.wait-timeout                       | 0
            stampede.lease-ttl                          | -1s
            stampede.lease-ttl                          | 100us
            stampede.recheck-interval                   | 0
            stampede.max-recheck-interval               | -1s
            refresh.beta                                | -1
            refresh.threshold                           | 1
            refresh.threshold                           | -0.5
            refresh.stop-after-idle                     | 0
            refresh.sweep-interval                      | 0
            refresh.sweep-interval                      | 500us
            refresh.pool-size                           | 0
            refresh.queue-capacity                      | 0
            warmup.budget                               | 0
            warmup.max-wait                             | -1s
            warmup.progress-interval                    | 0
            warmup.concurrency                          | 0
            warmup.concurrency                          | -1
            warmup.batch-size                           | 0
            warmup.rate-limit                           | -1
            warmup.cache-rate-limit                     | -1
            warmup.max-keys                             | 0
            warmup.hot-key-alert-rate                   | -1
            warmup.remember.sample-rate                 | 0
            warmup.remember.sample-rate                 | 1.5
            warmup.remember.capacity                    | 0
            warmup.remember.persist-interval            | 0
            warmup.remember.decay                       | 0
            warmup.remember.decay                       | 2
            warmup.shadow.window                        | 0
            warmup.shadow.max-length                    | 0
            """)
    void valueThatCannotWorkFailsStartupNamingThePropertyAndTheFix(String name, String value) {
        String property = "cache-warming." + name;
        this.runner.withPropertyValues(property + "=" + value)
            .run((context) -> assertFailureNames(context.getStartupFailure(), property));
    }

    @Test
    void accessLogSampleRateOutOfRangeFailsStartupNamingThePropertyAndTheFix() {
        String property = "cache-warming.warmup.access-logs.products.sample-rate";
        this.runner
            .withPropertyValues("cache-warming.warmup.access-logs.products.path=access.log",
                    "cache-warming.warmup.access-logs.products.pattern=GET /products/(\\d+)", property + "=0")
            .run((context) -> assertFailureNames(context.getStartupFailure(), property));
    }

    @Test
    void zeroWarmupConcurrencyIsReportedByBootsFailureAnalysisNotAStackTrace(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(MinimalApplication.class)
            .web(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--cache-warming.warmup.concurrency=0")).isNotNull();

        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Invalid value '0' for property 'cache-warming.warmup.concurrency': the value must be at "
                    + "least 1")
            .contains("Set 'cache-warming.warmup.concurrency' to a number such as 8.")
            .doesNotContain("threw exception with message: null");
    }

    private static void assertFailureNames(Throwable failure, String property) {
        assertThat(failure).as("startup failure").isNotNull();
        FailureAnalysis analysis = new InvalidCacheWarmingPropertyFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("failure analysis of " + failure).isNotNull();
        assertThat(analysis.getDescription()).contains("for property '" + property + "'");
        assertThat(analysis.getAction()).startsWith("Set '" + property + "' to ");
    }

    /** Only cache-warming, so the run depends on nothing else of the test classpath. */
    @SpringBootConfiguration
    @ImportAutoConfiguration(CacheWarmingAutoConfiguration.class)
    @Import(PriceUpdates.class)
    static class MinimalApplication {
    }

    /** An application bean that repopulates a cache after updates: it needs the warming API. */
    static class PriceUpdates {

        final CacheWarming warming;

        PriceUpdates(CacheWarming warming) {
            this.warming = warming;
        }
    }
}
