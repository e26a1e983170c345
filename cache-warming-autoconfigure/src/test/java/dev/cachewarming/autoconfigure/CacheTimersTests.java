package dev.cachewarming.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.warming.DefaultCacheWarming;
import dev.cachewarming.warming.WarmCatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The load and warm-up timers, registered through Boot's {@link MeterRegistry} so that
 * {@code management.metrics.distribution.*} applies to them. Prometheus is the registry here: it publishes
 * percentile histograms, which the simple registry ignores.
 */
class CacheTimersTests {

    @TempDir
    Path hotKeys;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
                    AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class,
                    CacheWarmingMetricsAutoConfiguration.class))
            .withPropertyValues("cache-warming.warmup.remember.directory=" + this.hotKeys);
    }

    @Test
    void everyLoaderCallIsTimedByResultAndHitsAreNot() {
        runner().run((context) -> {
            TieredCache cache = context.getBean(TieredCacheRegistry.class).cache("items", String.class, Long.class);

            cache.get(1L, () -> "item-1");
            cache.get(1L, () -> "item-1");
            cache.get(2L, () -> "item-2");
            assertThatIllegalStateException().isThrownBy(() -> cache.get(3L, () -> {
                throw new IllegalStateException("database down");
            }));

            assertThat(loadTimer(context, "items", "success").count()).isEqualTo(2);
            assertThat(loadTimer(context, "items", "failure").count()).isEqualTo(1);
            assertThat(loadTimer(context, "items", "success").takeSnapshot().histogramCounts())
                .as("no histogram unless asked for")
                .isEmpty();
        });
    }

    @Test
    void percentilesHistogramPropertyGivesTheLoadTimerHistogramBuckets() {
        runner().withPropertyValues("management.metrics.distribution.percentiles-histogram.cache.tiered.load=true")
            .run((context) -> {
                TieredCache cache = context.getBean(TieredCacheRegistry.class)
                    .cache("items", String.class, Long.class);

                cache.get(1L, () -> "item-1");

                HistogramSnapshot snapshot = loadTimer(context, "items", "success").takeSnapshot();
                assertThat(snapshot.histogramCounts()).isNotEmpty();
                assertThat(snapshot.histogramCounts()[snapshot.histogramCounts().length - 1].count())
                    .as("the last bucket holds every sample")
                    .isEqualTo(1.0);
                assertThat(context.getBean(PrometheusMeterRegistry.class).scrape())
                    .contains("cache_tiered_load_seconds_bucket{cache=\"items\",result=\"success\",le=\"+Inf\"} 1");
            });
    }

    @Test
    void everyWarmupRunIsTimedWithHistogramBucketsWhenAskedFor() {
        runner().withBean("warmCatalog", WarmCatalog.class, WarmCatalog::new)
            .withPropertyValues("management.metrics.distribution.percentiles-histogram.cache.warming.run=true")
            .run((context) -> {
                DefaultCacheWarming warming = context.getBean(DefaultCacheWarming.class);
                assertThat(runTimer(context, "wproducts").count()).as("registered before any run").isZero();

                warm(context);
                warming.rewarm("wproducts").get();

                Timer runs = runTimer(context, "wproducts");
                assertThat(runs.count()).isEqualTo(2);
                assertThat(runs.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
                assertThat(runs.takeSnapshot().histogramCounts()).isNotEmpty();
                assertThat(runTimer(context, "wprices").count()).as("not re-warmed").isEqualTo(1);
            });
    }

    /** What Spring Boot does once the application has started: warming begins. */
    private static void warm(AssertableApplicationContext context) {
        context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
                context.getSourceApplicationContext(ConfigurableApplicationContext.class), Duration.ZERO));
        DefaultCacheWarming warming = context.getBean(DefaultCacheWarming.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> warming.state().isFinished());
    }

    private static Timer loadTimer(AssertableApplicationContext context, String cache, String result) {
        return context.getBean(MeterRegistry.class)
            .get("cache.tiered.load")
            .tags("cache", cache, "result", result)
            .timer();
    }

    private static Timer runTimer(AssertableApplicationContext context, String cache) {
        return context.getBean(MeterRegistry.class).get("cache.warming.run").tags("cache", cache).timer();
    }
}
