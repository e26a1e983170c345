package dev.cachewarming.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-process behaviour of {@link TieredCache}: no Redis involved. */
class TieredCacheTests {

    private final MutableClock clock = new MutableClock();

    private final ExecutorService threads = Executors.newFixedThreadPool(200);

    @AfterEach
    void stopThreads() {
        this.threads.shutdownNow();
    }

    private TieredCache cache(CacheSettings settings) {
        return new TieredCache("products", settings, KeyCodec.typed(ValueJson.defaults(), Long.class), null, null,
                this.clock);
    }

    private static CacheSettings settings(Duration ttl, double jitter, Duration absentTtl) {
        return new CacheSettings(ttl, ttl, 1000, true, jitter, absentTtl, Duration.ZERO);
    }

    @Test
    void secondReadIsServedFromL1WithoutLoading() {
        TieredCache cache = cache(CacheSettings.DEFAULTS);
        AtomicInteger loads = new AtomicInteger();

        Object first = cache.get(1L, () -> "v" + loads.incrementAndGet());
        Object second = cache.get(1L, () -> "v" + loads.incrementAndGet());

        assertThat(first).isEqualTo("v1");
        assertThat(second).isEqualTo("v1");
        assertThat(loads).hasValue(1);
        assertThat(cache.stats().l1Hits()).isEqualTo(1);
        assertThat(cache.stats().loadSuccesses()).isEqualTo(1);
    }

    @Test
    void entryCarriesWriteTimeExpiryAndLoadTimeWhereStaleReadsNeedThem() {
        TieredCache cache = cache(new CacheSettings(Duration.ofMinutes(1), Duration.ofMinutes(1), 1000, true, 0.0,
                Duration.ZERO, Duration.ofSeconds(30)));
        long before = this.clock.millis();

        cache.get(1L, () -> {
            this.clock.advance(Duration.ofMillis(5));
            return "v";
        });
        CacheEntry entry = cache.getEntry(1L);

        assertThat(entry.writtenAt()).isEqualTo(before + 5);
        assertThat(entry.expiresAt()).isEqualTo(before + 5 + 60_000);
        assertThat(entry.loadNanos()).isPositive();
    }

    @Test
    void aCacheThatOnlyNeedsFreshnessKeepsTheBareValueAndItsExpiry() {
        TieredCache cache = cache(settings(Duration.ofMinutes(1), 0.0, Duration.ZERO));
        long before = this.clock.millis();

        cache.get(1L, () -> "v");

        assertThat(cache.getFreshValue(1L, this.clock.millis())).isEqualTo("v");
        CacheEntry entry = cache.getEntry(1L);
        assertThat(entry.value()).isEqualTo("v");
        assertThat(entry.expiresAt()).isEqualTo(before + 60_000);
        assertThat(entry.loadNanos()).as("not kept: nothing reads it in such a cache").isZero();
        this.clock.advance(Duration.ofMinutes(1));
        assertThat(cache.getFreshValue(1L, this.clock.millis())).isSameAs(TieredCache.MISS);
    }

    @Test
    void valueIsReloadedOnceItExpires() {
        TieredCache cache = cache(settings(Duration.ofSeconds(10), 0.0, Duration.ZERO));
        AtomicInteger loads = new AtomicInteger();
        cache.get(1L, () -> "v" + loads.incrementAndGet());

        this.clock.advance(Duration.ofSeconds(9));
        assertThat(cache.get(1L, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");

        this.clock.advance(Duration.ofSeconds(1));
        assertThat(cache.getEntry(1L)).isNull();
        assertThat(cache.get(1L, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    }

    @Test
    void ttlIsJitteredWithinTheConfiguredSpread() {
        TieredCache cache = cache(settings(Duration.ofSeconds(100), 0.1, Duration.ZERO));
        Set<Long> ttls = new TreeSet<>();
        for (long key = 0; key < 1000; key++) {
            CacheEntry entry = cache.put(key, "v");
            ttls.add(entry.expiresAt() - entry.writtenAt());
        }

        assertThat(ttls).allSatisfy((ttl) -> assertThat(ttl).isBetween(90_000L, 110_000L));
        assertThat(ttls.size()).as("distinct TTLs among 1000 writes").isGreaterThan(500);
        assertThat(((TreeSet<Long>) ttls).first()).isLessThan(92_000L);
        assertThat(((TreeSet<Long>) ttls).last()).isGreaterThan(108_000L);
    }

    @Test
    void absentResultsAreCachedForTheirOwnShorterTtl() {
        TieredCache cache = cache(settings(Duration.ofMinutes(10), 0.0, Duration.ofSeconds(30)));
        AtomicInteger loads = new AtomicInteger();

        assertThat(cache.get(7L, () -> {
            loads.incrementAndGet();
            return null;
        })).isNull();
        CacheEntry entry = cache.getEntry(7L);

        assertThat(entry).isNotNull();
        assertThat(entry.isAbsent()).isTrue();
        assertThat(entry.expiresAt() - entry.writtenAt()).isEqualTo(30_000);
        this.clock.advance(Duration.ofSeconds(30));
        assertThat(cache.getEntry(7L)).isNull();
    }

    @Test
    void emptyOptionalIsAnAbsentResult() {
        TieredCache cache = cache(settings(Duration.ofMinutes(10), 0.0, Duration.ofSeconds(5)));

        CacheEntry entry = cache.put(3L, Optional.empty());

        assertThat(entry.isAbsent()).isTrue();
        assertThat(entry.expiresAt() - entry.writtenAt()).isEqualTo(5_000);
        assertThat(cache.getEntry(3L).value()).isEqualTo(Optional.empty());
    }

    @Test
    void absentResultsAreNotCachedWhenAbsentTtlIsZero() {
        TieredCache cache = cache(settings(Duration.ofMinutes(10), 0.0, Duration.ZERO));
        cache.put(7L, "old");
        AtomicInteger loads = new AtomicInteger();

        cache.put(7L, null);
        cache.get(8L, () -> {
            loads.incrementAndGet();
            return null;
        });
        cache.get(8L, () -> {
            loads.incrementAndGet();
            return null;
        });

        assertThat(cache.getEntry(7L)).as("a null put removes the old value").isNull();
        assertThat(loads).hasValue(2);
    }

    @Test
    void concurrentMissesOnOneKeyLoadOnce() throws Exception {
        TieredCache cache = cache(CacheSettings.DEFAULTS);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch loaderEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Object>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(this.threads.submit(() -> {
                start.await();
                return cache.get(42L, () -> {
                    loads.incrementAndGet();
                    loaderEntered.countDown();
                    release.await();
                    return "loaded";
                });
            }));
        }

        start.countDown();
        assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
        // Keep the load open until every other caller is waiting on it or has not looked yet.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> cache.coalescedLoads() + cache.stats().l1Hits() >= 1);
        release.countDown();

        for (Future<Object> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.coalescedLoads() + cache.stats().l1Hits()).isEqualTo(199);
    }

    @Test
    void loaderFailureReachesTheCallerAndCachesNothing() {
        TieredCache cache = cache(CacheSettings.DEFAULTS);

        assertThatThrownBy(() -> cache.get(1L, () -> {
            throw new IllegalStateException("database down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("database down");
        assertThatThrownBy(() -> cache.get(1L, () -> {
            throw new java.io.IOException("disk");
        })).isInstanceOf(CacheLoaderException.class).hasCauseInstanceOf(java.io.IOException.class);

        assertThat(cache.getEntry(1L)).isNull();
        assertThat(cache.stats().loadFailures()).isEqualTo(2);
        assertThat(cache.get(1L, () -> "recovered")).isEqualTo("recovered");
    }

    @Test
    void l1HoldsAtMostItsMaximumSize() {
        TieredCache cache = new TieredCache("small", new CacheSettings(Duration.ofMinutes(1), Duration.ofMinutes(1),
                100, true, 0.0, Duration.ZERO, Duration.ZERO), KeyCodec.typed(ValueJson.defaults(), Long.class),
                null, null, this.clock);

        for (long key = 0; key < 1000; key++) {
            cache.put(key, "v");
        }

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            cache.localSize();
            return cache.stats().l1SizeEvictions() >= 900;
        });
        assertThat(cache.localSize()).isLessThanOrEqualTo(100);
    }

    @Test
    void staleEntryIsReturnedOnlyWhenAskedFor() {
        // L1 keeps an entry for l1-ttl at most (here 10 s), so an entry is stale in L1 when it expires sooner: an
        // absent result (5 s) here; one copied from Redis late in its life in a shared cache.
        TieredCache cache = cache(new CacheSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 100, true, 0.0,
                Duration.ofSeconds(5), Duration.ofSeconds(60)));
        cache.put(1L, null);

        this.clock.advance(Duration.ofSeconds(7));

        assertThat(cache.getEntry(1L)).isNull();
        CacheEntry stale = cache.getEntry(1L, true);
        assertThat(stale).isNotNull();
        assertThat(stale.isAbsent()).isTrue();
        assertThat(stale.isFreshAt(this.clock.millis())).isFalse();
    }

    @Test
    void evictAndClearRemoveEntries() {
        TieredCache cache = cache(CacheSettings.DEFAULTS);
        cache.put(1L, "a");
        cache.put(2L, "b");

        cache.evict(1L);
        assertThat(cache.getEntry(1L)).isNull();
        assertThat(cache.getEntry(2L)).isNotNull();

        cache.clear();
        assertThat(cache.getEntry(2L)).isNull();
    }

    /** A load of key 1 that has started and waits until the returned latch is counted down. */
    private record BlockedLoad(Future<Object> result, CountDownLatch release) {
    }

    private BlockedLoad startBlockedLoad(TieredCache cache, String value) throws InterruptedException {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> result = this.threads.submit(() -> cache.get(1L, () -> {
            loading.countDown();
            release.await();
            return value;
        }));
        assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
        return new BlockedLoad(result, release);
    }

    @Test
    void evictionDuringALoadKeepsTheLoadedValueOutOfTheCache() throws Exception {
        TieredCache cache = cache(CacheSettings.DEFAULTS);
        BlockedLoad load = startBlockedLoad(cache, "read before the update");

        cache.evict(1L);
        load.release().countDown();

        assertThat(load.result().get(5, TimeUnit.SECONDS)).isEqualTo("read before the update");
        assertThat(cache.getEntry(1L)).as("the possibly outdated value is not cached").isNull();
    }

    @Test
    void putDuringALoadIsNotOverwrittenByTheLoad() throws Exception {
        TieredCache cache = cache(CacheSettings.DEFAULTS);
        BlockedLoad load = startBlockedLoad(cache, "old");

        cache.put(1L, "new");
        load.release().countDown();
        load.result().get(5, TimeUnit.SECONDS);

        assertThat(cache.getEntry(1L).value()).isEqualTo("new");
    }
}
