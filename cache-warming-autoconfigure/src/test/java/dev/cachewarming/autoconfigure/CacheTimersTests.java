package dev.cachewarming.autoconfigure;


import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The load timer, registered through Boot's {@link MeterRegistry} so that
 * {@code management.metrics.distribution.*} applies to them. Prometheus is the registry here: it publishes
 * percentile histograms, which the simple registry ignores.
 */
class CacheTimersTests {

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
                    AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class,
                    CacheWarmingMetricsAutoConfiguration.class));
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

    private static Timer loadTimer(AssertableApplicationContext context, String cache, String result) {
        return context.getBean(MeterRegistry.class)
            .get("cache.tiered.load")
            .tags("cache", cache, "result", result)
            .timer();
    }
}
