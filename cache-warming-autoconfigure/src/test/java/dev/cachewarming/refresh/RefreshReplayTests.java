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
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A background refresh calls the method again with the arguments of the key's read, however the key is made:
 * the argument itself, all the arguments, or an expression (the one case where an entry keeps the arguments).
 * Caffeine alone.
 */
class RefreshReplayTests {

    /** A region, as a multi-argument method and an expression key see it. */
    public record Region(String code, int zone) {
    }

    /** Records each load's arguments. */
    public static class Weather {

        final List<String> loads = new CopyOnWriteArrayList<>();

        @RefreshAhead(cacheName = "byCity")
        public String byCity(String city) {
            return load("city " + city);
        }

        @RefreshAhead(cacheName = "byCityAndDay")
        public String byCityAndDay(String city, int day) {
            return load("city " + city + " day " + day);
        }

        @RefreshAhead(cacheName = "byRegion", key = "#p0.code")
        public String byRegion(Region region, boolean metric) {
            return load("region " + region.code() + " zone " + region.zone() + (metric ? " metric" : " imperial"));
        }

        private String load(String call) {
            this.loads.add(call);
            return call + " #" + this.loads.stream().filter(call::equals).count();
        }

        List<String> loads() {
            return this.loads;
        }

        long loadsOf(String call) {
            return this.loads.stream().filter(call::equals).count();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class))
        .withPropertyValues("cache-warming.redis.enabled=false", "cache-warming.defaults.ttl=1s",
                "cache-warming.defaults.jitter=0", "cache-warming.refresh.sweep-interval=100ms")
        .withBean(Weather.class, Weather::new);

    @Test
    void eachKindOfKeyIsReloadedWithTheArgumentsOfItsRead() {
        this.runner.run((context) -> {
            Weather weather = context.getBean(Weather.class);

            weather.byCity("Oslo");
            weather.byCityAndDay("Rome", 3);
            weather.byRegion(new Region("NO-03", 7), true);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                // Read once, so refreshed while it was read within stop-after-idle (10 minutes by default).
                assertThat(weather.loadsOf("city Oslo")).isGreaterThanOrEqualTo(2);
                assertThat(weather.loadsOf("city Rome day 3")).isGreaterThanOrEqualTo(2);
                assertThat(weather.loadsOf("region NO-03 zone 7 metric")).isGreaterThanOrEqualTo(2);
            });
            assertThat(weather.loads()).as("no load with other arguments").containsOnly("city Oslo",
                    "city Rome day 3", "region NO-03 zone 7 metric");
            assertThat(weather.byCity("Oslo")).as("a refreshed value is served").isNotEqualTo("city Oslo #1");
        });
    }

    @Test
    void aRefreshedCacheKeepsItsReadTrackingInTheEntriesThemselves() {
        this.runner.run((context) -> {
            Weather weather = context.getBean(Weather.class);
            for (int i = 0; i < 500; i++) {
                weather.byCity("city-" + i);
            }
            TieredCache cache = context.getBean(TieredCacheRegistry.class).find("byCity");
            int[] tracked = new int[1];
            cache.trackReads().forEach((key, entry, lastRead, reloadContext) -> {
                assertThat(reloadContext).as("every read key knows how to reload").isNotNull();
                tracked[0]++;
            });
            assertThat(tracked[0]).isEqualTo(500);
        });
    }
}
