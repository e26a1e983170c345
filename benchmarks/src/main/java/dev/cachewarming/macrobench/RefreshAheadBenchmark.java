package dev.cachewarming.macrobench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;


import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;

/**
 * Macro benchmark 2: Zipf(0.99) reads over 10k keys whose TTL is 5 s, for plain TTL, a fixed-threshold refresh,
 * XFetch, and XFetch under the Redis lease (two instances sharing Redis). After a warm-up, counts the calls that
 * blocked on a load and the loads per expiry.
 */
public final class RefreshAheadBenchmark {

    static final int KEYS = 10_000;

    static final long TTL_MILLIS = 5_000;

    static final long LOAD_MILLIS = 20;

    static final int READERS = 16;

    static final int READS_PER_SECOND = Integer.getInteger("bench.refresh.rate", 10_000);

    static final int SECONDS = Integer.getInteger("bench.refresh.seconds", 60);

    static final AtomicLong loads = new AtomicLong();

    static final AtomicLong loadsOnCallers = new AtomicLong();

    /** One instance with the three ways to cache the same slow load. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class RefreshApplication {

        @Bean
        Items items() {
            return new Items();
        }
    }

    /** The same 20 ms load behind every variant. */
    public static class Items {

        @StampedeProtected(cacheName = "plain")
        public String plain(Long id) {
            return load(id);
        }

        @StampedeProtected(cacheName = "threshold")
        @RefreshAhead(cacheName = "threshold", beta = 0, threshold = 0.8)
        public String threshold(Long id) {
            return load(id);
        }

        @StampedeProtected(cacheName = "xfetch")
        @RefreshAhead(cacheName = "xfetch", beta = 1)
        public String xfetch(Long id) {
            return load(id);
        }

        static String load(Long id) {
            loads.incrementAndGet();
            if (Thread.currentThread().getName().startsWith("reader-")) {
                loadsOnCallers.incrementAndGet();
            }
            try {
                // Stands in for a slow query: the benchmark is about when loads run, not what they do.
                Thread.sleep(LOAD_MILLIS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return "item-" + id;
        }
    }

    @FunctionalInterface
    private interface Read {

        String read(Items items, Long id);
    }

    private record Variant(String name, Read read, int instances, boolean redis) {
    }

    private record Outcome(long reads, long slowCalls, long loadsOnCallers, long loads, long skipped) {
    }

    /** Runs every variant and writes {@code refresh-ahead.md}. */
    public static void run(BenchRedis redis) throws Exception {
        List<Variant> variants = List.of(new Variant("plain TTL (`@StampedeProtected` only)", Items::plain, 1, false),
                new Variant("fixed threshold (`@RefreshAhead(beta = 0, threshold = 0.8)`)", Items::threshold, 1,
                        false),
                new Variant("XFetch (`@RefreshAhead`, beta 1)", Items::xfetch, 1, false),
                new Variant("XFetch + Redis lease, 2 instances sharing Redis", Items::xfetch, 2, true));
        long expiries = KEYS * (SECONDS * 1000L / TTL_MILLIS);
        Report report = new Report("refresh-ahead", "Refresh-ahead: " + SECONDS + " s of Zipf(0.99) reads over "
                + String.format("%,d", KEYS) + " keys, TTL 5 s, 20 ms loads, " + String.format("%,d", READS_PER_SECOND)
                + " reads/s");
        report.header("policy", "reads", "calls that loaded", "calls slower than 10 ms", "loads",
                "loads per expiry", "refreshes skipped (lease held elsewhere or queue full)");
        for (Variant variant : variants) {
            redis.flushAll();
            Outcome outcome = measure(redis, variant);
            report.row(variant.name(), outcome.reads(), outcome.loadsOnCallers(), outcome.slowCalls(),
                    outcome.loads(), outcome.loads() / (double) expiries, outcome.skipped());
        }
        report.note("Loads per expiry = loads / (keys x " + SECONDS + " s / TTL) = loads / "
                + String.format("%,d", expiries) + ": 1.00 means each entry was loaded once per TTL. "
                + "\"Calls that loaded\" ran the loader on the caller's thread; \"slower than 10 ms\" also counts "
                + "callers that waited for another caller's (or instance's) load, and any scheduling hiccup. "
                + "All 10k keys are loaded and read for 10 s before the measurement starts.");
        report.write();
    }

    private static Outcome measure(BenchRedis redis, Variant variant) throws Exception {
        String[] properties = Instances.concat(redis.springProperties(), new String[] {
                "cache-warming.redis.enabled=" + variant.redis(), "cache-warming.defaults.ttl=5s",
                "cache-warming.defaults.jitter=0", "cache-warming.defaults.l1-max-size=20000",
                "cache-warming.refresh.pool-size=64", "cache-warming.refresh.queue-capacity=20000",
                "cache-warming.warmup.enabled=false",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" });
        List<ConfigurableApplicationContext> instances = new ArrayList<>();
        try {
            for (int i = 0; i < variant.instances(); i++) {
                instances.add(Instances.start(RefreshApplication.class, properties));
            }
            List<Items> items = instances.stream().map((c) -> c.getBean(Items.class)).toList();
            Long[] keys = new Long[KEYS + 1];
            for (int i = 0; i <= KEYS; i++) {
                keys[i] = (long) i;
            }
            preload(items, keys, variant.read());
            traffic(items, keys, variant.read(), 10, new LongAdder());
            loads.set(0);
            loadsOnCallers.set(0);
            long skippedBefore = skipped(instances);
            LongAdder slow = new LongAdder();
            long reads = traffic(items, keys, variant.read(), SECONDS, slow);
            return new Outcome(reads, slow.sum(), loadsOnCallers.get(), loads.get(),
                    skipped(instances) - skippedBefore);
        }
        finally {
            instances.forEach(ConfigurableApplicationContext::close);
        }
    }

    private static long skipped(List<ConfigurableApplicationContext> instances) {
        long skipped = 0;
        for (ConfigurableApplicationContext instance : instances) {
            for (dev.cachewarming.cache.TieredCache cache : instance
                .getBean(dev.cachewarming.cache.TieredCacheRegistry.class).caches()) {
                skipped += cache.stats().refreshesSkipped();
            }
        }
        return skipped;
    }

    /** Reads every key once, 50 at a time, as a warm-up would. */
    private static void preload(List<Items> items, Long[] keys, Read read) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch done = new CountDownLatch(KEYS);
        for (int i = 1; i <= KEYS; i++) {
            Long key = keys[i];
            Items target = items.get(i % items.size());
            pool.execute(() -> {
                try {
                    read.read(target, key);
                }
                finally {
                    done.countDown();
                }
            });
        }
        done.await();
        pool.shutdown();
    }

    /** Paced Zipf reads from {@value #READERS} threads; returns the reads made. */
    private static long traffic(List<Items> items, Long[] keys, Read read, int seconds, LongAdder slow)
            throws InterruptedException {
        LongAdder reads = new LongAdder();
        long start = System.nanoTime();
        new PacedZipfReaders(READERS, READS_PER_SECOND, KEYS, start, start + seconds * 1_000_000_000L,
                (rank, sequence) -> {
                    Items target = items.get((int) (sequence % items.size()));
                    long began = System.nanoTime();
                    read.read(target, keys[rank]);
                    if (System.nanoTime() - began >= 10_000_000L) {
                        slow.increment();
                    }
                    reads.increment();
                })
            .join();
        return reads.sum();
    }

    private RefreshAheadBenchmark() {
    }
}
