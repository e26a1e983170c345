package dev.cachewarming.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented JMH command must be able to start the hit-path benchmark. This runs the benchmark's own trial
 * setup on this module's classpath, which also holds the macro benchmarks' JDBC driver and Redis client (what once
 * stopped its application from starting), then calls every variant and checks the premise of its numbers: once set
 * up, no call loads.
 */
class HitPathBenchmarkTests {

    @Test
    void everyVariantStartsAndAnswersWithoutLoading() {
        HitPathBenchmark benchmark = new HitPathBenchmark();
        benchmark.start();
        try {
            HitPathBenchmark.Cursor cursor = new HitPathBenchmark.Cursor();
            long loadsAfterSetup = HitPathBenchmark.Products.loads.sum();

            assertThat(benchmark.caffeineFloor(cursor)).isEqualTo("product-0");
            assertThat(benchmark.springCacheable(cursor)).isEqualTo("product-1");
            assertThat(benchmark.springCacheableSync(cursor)).isEqualTo("product-2");
            assertThat(benchmark.jetCacheCached(cursor)).isEqualTo("product-3");
            assertThat(benchmark.stampedeProtectedRefreshAhead(cursor)).isEqualTo("product-4");
            assertThat(benchmark.withWarmableToo(cursor)).isEqualTo("product-5");

            assertThat(HitPathBenchmark.Products.loads.sum()).as("loads by the measured calls")
                .isEqualTo(loadsAfterSetup);
        }
        finally {
            benchmark.stop();
        }
    }
}
