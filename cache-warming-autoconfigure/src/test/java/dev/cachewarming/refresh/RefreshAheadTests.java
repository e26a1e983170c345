package dev.cachewarming.refresh;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @RefreshAhead} under a steady read loop, with real Redis.
 */
@ExtendWith(RedisServerExtension.class)
class RefreshAheadTests {

    /** Counts loads per key and which thread ran them. */
    public static class Quotes {

        final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

        final AtomicInteger loadsOnCallerThreads = new AtomicInteger();

        // Shared by every instance, so a value tells which load made it whichever instance ran it.
        static final AtomicInteger version = new AtomicInteger();

        final AtomicBoolean failing = new AtomicBoolean();

        @RefreshAhead(cacheName = "quotes")
        public String quote(String symbol) {
            this.loads.computeIfAbsent(symbol, (s) -> new AtomicInteger()).incrementAndGet();
            if (!Thread.currentThread().getName().startsWith("cache-warming-refresh")) {
                this.loadsOnCallerThreads.incrementAndGet();
            }
            if (this.failing.get()) {
                throw new IllegalStateException("quote service down");
            }
            return symbol + "#" + version.incrementAndGet();
        }

        public int loads(String symbol) {
            return this.loads.getOrDefault(symbol, new AtomicInteger()).get();
        }

        public int loadsOnCallerThreads() {
            return this.loadsOnCallerThreads.get();
        }

        public void setFailing(boolean failing) {
            this.failing.set(failing);
        }
    }

    private ApplicationContextRunner instance(RedisServer redis, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
                    org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class,
                    CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "cache-warming.caches.quotes.ttl=1s", "cache-warming.caches.quotes.jitter=0",
                    "cache-warming.refresh.sweep-interval=50ms")
            .withPropertyValues(properties)
            .withBean(Quotes.class, Quotes::new);
    }

    @Test
    void hotKeysNeverExpireUnderSteadyReadsAndAreReloadedAboutOncePerTtl(RedisServer redis) {
        instance(redis).run((context) -> {
            Quotes quotes = context.getBean(Quotes.class);
            List<String> symbols = List.of("AAA", "BBB", "CCC");
            Duration runFor = Duration.ofSeconds(5);
            long end = System.nanoTime() + runFor.toNanos();
            int reads = 0;
            while (System.nanoTime() < end) {
                for (String symbol : symbols) {
                    assertThat(quotes.quote(symbol)).startsWith(symbol + "#");
                    reads++;
                }
                // Traffic pacing: about 1000 reads per second per key.
                LockSupport.parkNanos(1_000_000);
            }
            TieredCache cache = context.getBean(TieredCacheRegistry.class).find("quotes");

            assertThat(quotes.loadsOnCallerThreads()).as("callers that waited on a load: the first read of each key")
                .isEqualTo(symbols.size());
            double ttlWindows = runFor.toMillis() / 1000.0;
            for (String symbol : symbols) {
                double loadsPerTtl = (quotes.loads(symbol) - 1) / ttlWindows;
                assertThat(loadsPerTtl).as("background loads per TTL of " + symbol).isBetween(0.8, 1.3);
            }
            assertThat(cache.stats().refreshesSucceeded()).isGreaterThanOrEqualTo(3 * 4);
            assertThat(cache.stats().refreshesFailed()).isZero();
            System.out.printf("refresh-ahead: %d reads, loads per key %s, refreshes %d%n", reads,
                    symbols.stream().map(quotes::loads).toList(), cache.stats().refreshesSucceeded());
        });
    }

    @Test
    void failedRefreshKeepsServingTheCurrentValueUntilItExpires(RedisServer redis) {
        instance(redis, "cache-warming.caches.quotes.ttl=2s", "cache-warming.refresh.threshold=0.3")
            .run((context) -> {
                Quotes quotes = context.getBean(Quotes.class);
                TieredCache cache = context.getBean(TieredCacheRegistry.class).find("quotes");
                String first = quotes.quote("DDD");

                quotes.setFailing(true);
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    assertThat(quotes.quote("DDD")).isEqualTo(first);
                    return cache.stats().refreshesFailed() >= 1;
                });

                assertThat(quotes.quote("DDD")).isEqualTo(first);
                assertThat(quotes.loadsOnCallerThreads()).isEqualTo(1);
            });
    }

    @Test
    void refreshRunsOnOneInstanceWhenSeveralShareRedis(RedisServer redis) {
        instance(redis, "cache-warming.caches.quotes.ttl=2s", "cache-warming.refresh.threshold=0.5")
            .run((a) -> instance(redis, "cache-warming.caches.quotes.ttl=2s", "cache-warming.refresh.threshold=0.5")
                .run((b) -> {
                    Quotes quotesA = a.getBean(Quotes.class);
                    Quotes quotesB = b.getBean(Quotes.class);
                    TieredCache cacheA = a.getBean(TieredCacheRegistry.class).find("quotes");
                    String initial = quotesA.quote("EEE");
                    assertThat(quotesB.quote("EEE")).as("B reads A's value from Redis").isEqualTo(initial);

                    // Both instances see hits past the threshold and both try to refresh.
                    await().atMost(Duration.ofSeconds(5)).until(() -> {
                        quotesA.quote("EEE");
                        quotesB.quote("EEE");
                        return !quotesA.quote("EEE").equals(initial) && !quotesB.quote("EEE").equals(initial);
                    });

                    int refreshLoads = quotesA.loads("EEE") + quotesB.loads("EEE") - 1;
                    assertThat(refreshLoads).as("one instance refreshed, the other skipped or took its value")
                        .isEqualTo(1);
                    assertThat(quotesB.loadsOnCallerThreads() + quotesA.loadsOnCallerThreads()).isEqualTo(1);
                    assertThat(cacheA.isShared()).isTrue();
                }));
    }
}
