package dev.cachewarming.refresh;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the background sweep refreshes a key no read refreshed, Caffeine alone.
 */
class SweepRefreshTimingTests {

    /** Records when each load ran. */
    public static class Rates {

        final List<Long> loadedAt = new CopyOnWriteArrayList<>();

        @RefreshAhead(cacheName = "rates")
        public String rate(String pair) {
            this.loadedAt.add(System.currentTimeMillis());
            return pair + "#" + this.loadedAt.size();
        }

        public List<Long> loadedAt() {
            return this.loadedAt;
        }
    }

    @Test
    void theSweepRefreshesAKeyJustBeforeItExpiresNotUpToTwoSweepsEarly() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class))
            .withPropertyValues("cache-warming.redis.enabled=false", "cache-warming.caches.rates.ttl=2s",
                    "cache-warming.caches.rates.jitter=0", "cache-warming.refresh.sweep-interval=500ms")
            .withBean(Rates.class, Rates::new)
            .run((context) -> {
                Rates rates = context.getBean(Rates.class);
                rates.rate("EURUSD");
                await().atMost(Duration.ofSeconds(5)).until(() -> rates.loadedAt().size() >= 2);
                long refreshedAfter = rates.loadedAt().get(1) - rates.loadedAt().get(0);
                // Planned at the sweep that sees it within two sweeps of expiry, it runs at expiry - 100 ms:
                // a refresh at the sweep itself would run 500 to 1,000 ms early.
                assertThat(refreshedAfter).isBetween(2_000L - 100 - 100, 2_000L + 200);
                assertThat(rates.rate("EURUSD")).isEqualTo("EURUSD#2");
            });
    }
}
