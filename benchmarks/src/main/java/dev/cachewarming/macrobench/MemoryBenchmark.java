package dev.cachewarming.macrobench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.function.LongConsumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;

/**
 * Macro benchmark 6: retained heap per cached entry, ours (L1) against plain Caffeine holding the same 100k values
 * under the same keys. Keys and values are created up front and kept alive by arrays, so the deltas measure only
 * what each cache adds; heap used is read after full collections ({@code System.gc()}, G1 collects fully).
 */
public final class MemoryBenchmark {

    static final int ENTRIES = 100_000;

    static Product[] values;

    /** An embedded (Caffeine-only) instance with two annotated methods over the same values. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class MemoryApplication {

        @Bean
        Products products() {
            return new Products();
        }
    }

    /** Returns the pre-built values, so caching them adds no value objects. */
    public static class Products {

        @StampedeProtected(cacheName = "stampede")
        public Product stampedeProtected(Long id) {
            return values[(int) (long) id];
        }

        @StampedeProtected(cacheName = "refreshed")
        @RefreshAhead(cacheName = "refreshed")
        public Product refreshed(Long id) {
            return values[(int) (long) id];
        }
    }

    /** Measures and writes {@code memory.md}. */
    public static void run() {
        Long[] keys = new Long[ENTRIES];
        values = new Product[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            keys[i] = (long) i;
            values[i] = new Product(i, "SKU-" + i, "Product " + i, "A sturdy, well-made thing for every day. " + i,
                    100 + i % 9900, i % 500);
        }
        // Three rounds, medians: a single heap-after-GC delta can be off by a few bytes per entry. Every round fills
        // new caches, ours in a new instance, so each variant pays for growing its hash table.
        double[][] rounds = new double[5][3];
        for (int round = 0; round < 3; round++) {
            rounds[0][round] = perEntry(() -> {
                Cache<Long, Product> cache = Caffeine.newBuilder().maximumSize(ENTRIES).build();
                fill(keys, (i) -> cache.put(keys[(int) i], values[(int) i]));
                return cache;
            });
            rounds[1][round] = perEntry(() -> {
                Cache<Long, Product> cache = Caffeine.newBuilder().maximumSize(ENTRIES)
                    .expireAfterWrite(Duration.ofMinutes(10)).build();
                fill(keys, (i) -> cache.put(keys[(int) i], values[(int) i]));
                return cache;
            });
            rounds[2][round] = perEntry(() -> {
                Cache<Long, Product> cache = Caffeine.newBuilder().maximumSize(ENTRIES)
                    .expireAfter(Expiry.creating((Long key, Product value) -> Duration.ofMinutes(10)))
                    .build();
                fill(keys, (i) -> cache.put(keys[(int) i], values[(int) i]));
                return cache;
            });
        }
        // Then ours, each round in a new instance (after the plain caches, so no closed instance's garbage is
        // collected inside a measurement of theirs).
        for (int round = 0; round < 3; round++) {
            try (ConfigurableApplicationContext instance = Instances.start(MemoryApplication.class,
                    "cache-warming.redis.enabled=false", "cache-warming.defaults.l1-max-size=" + ENTRIES,
                    "cache-warming.warmup.enabled=false",
                    "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                            + "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")) {
                Products products = instance.getBean(Products.class);
                // Run every path once so classes and lazily created structures are not counted, then start empty:
                // every variant holds the same entries under the same maximum, so each pays for Caffeine's
                // frequency sketch (allocated once a cache is half full) alike.
                products.stampedeProtected(keys[0]);
                products.refreshed(keys[0]);
                dev.cachewarming.cache.TieredCacheRegistry caches = instance
                    .getBean(dev.cachewarming.cache.TieredCacheRegistry.class);
                caches.find("stampede").clearLocal();
                caches.find("refreshed").clearLocal();
                rounds[3][round] = perEntry(() -> {
                    fill(keys, (i) -> products.stampedeProtected(keys[(int) i]));
                    return products;
                });
                rounds[4][round] = perEntry(() -> {
                    fill(keys, (i) -> products.refreshed(keys[(int) i]));
                    return products;
                });
                if (round == 0 && Boolean.getBoolean("bench.memory.footprint")) {
                    dev.cachewarming.cache.TieredCacheRegistry registry = instance
                        .getBean(dev.cachewarming.cache.TieredCacheRegistry.class);
                    for (String name : new String[] { "stampede", "refreshed" }) {
                        System.out.println(name + ":\n" + org.openjdk.jol.info.GraphLayout
                            .parseInstance(registry.find(name)).toFootprint());
                    }
                }
            }
        }
        double plain = median(rounds[0]);
        double expiring = median(rounds[1]);
        double variable = median(rounds[2]);
        double ours = median(rounds[3]);
        double oursRefreshed = median(rounds[4]);
        {
            Report report = new Report("memory", "Heap per cached entry, 100k entries (keys and values excluded)");
            report.header("cache", "bytes per entry", "ratio to plain Caffeine", "ratio to Caffeine with expiry");
            report.row("Caffeine, `maximumSize`", plain, 1.0, plain / expiring);
            report.row("Caffeine, `maximumSize` + `expireAfterWrite`", expiring, expiring / plain, 1.0);
            report.row("Caffeine, `maximumSize` + `expireAfter` (per-entry expiry, as our L1 uses)", variable,
                    variable / plain, variable / expiring);
            report.row("cache-warming L1, `@StampedeProtected`", ours, ours / plain, ours / expiring);
            report.row("cache-warming L1, `@StampedeProtected @RefreshAhead` (with refresh tracking)", oursRefreshed,
                    oursRefreshed / plain, oursRefreshed / expiring);
            report.write();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void fill(Long[] keys, LongConsumer put) {
        for (int i = 1; i < keys.length; i++) {
            put.accept(i);
        }
    }

    /** @return heap retained by what {@code filler} builds, divided by the entries */
    private static double perEntry(java.util.function.Supplier<Object> filler) {
        long before = usedAfterGc();
        Object retained = filler.get();
        long after = usedAfterGc();
        // Keeps the cache reachable until after the measurement.
        java.lang.ref.Reference.reachabilityFence(retained);
        return (after - before) / (double) (ENTRIES - 1);
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private MemoryBenchmark() {
    }
}
