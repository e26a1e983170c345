package dev.cachewarming.macrobench;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;


import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.warming.CacheWarming;
import dev.cachewarming.warming.CacheWarmupProgress;

/**
 * Macro benchmark 4: an instance serving Zipf(0.99) traffic over 100k products from PostgreSQL is restarted; hit
 * rate and database queries per second over the first 60 s after readiness, without and with warming
 * (remembered hot keys, L2 first), against the steady state before the restart.
 */
public final class ColdStartBenchmark {

    static final int RATE = Integer.getInteger("bench.coldstart.rate", 2_000);

    static final int SECONDS = Integer.getInteger("bench.coldstart.seconds", 60);

    static final int READERS = 4;

    static final LongAdder queries = new LongAdder();

    /** The instance: one warmable, stampede-protected product lookup with a batch method. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class ColdStartApplication {

        @Bean
        Catalog catalog(JdbcTemplate jdbc) {
            return new Catalog(jdbc);
        }
    }

    /** Reads products from PostgreSQL, counting queries. */
    public static class Catalog {

        private final JdbcTemplate jdbc;

        Catalog(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Warmable(cacheName = "products", batchMethod = "findAll", batchKey = "id")
        @StampedeProtected(cacheName = "products")
        public Product find(Long id) {
            queries.increment();
            return this.jdbc.queryForObject(WarmingBenchmark.BY_ID, WarmingBenchmark.ROWS, id);
        }

        public List<Product> findAll(Collection<Long> ids) {
            queries.increment();
            return this.jdbc.query((connection) -> {
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT " + BenchDatabase.COLUMNS + " FROM bench_product WHERE id = ANY(?)");
                statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                return statement;
            }, WarmingBenchmark.ROWS);
        }
    }

    /** Per-second samples of one run. */
    record Timeline(String name, double[] seconds, double[] queriesPerSecond, double[] l1HitRate,
            double[] hitRate, double readySeconds, long warmed) {

        double meanQueries(int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += this.queriesPerSecond[i];
            }
            return sum / (to - from);
        }

        double meanL1HitRate(int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += this.l1HitRate[i];
            }
            return sum / (to - from);
        }
    }

    /** Runs the steady phase and four restarts; writes {@code cold-start.md} and two charts. */
    public static void run(BenchRedis redis, BenchDatabase database) throws Exception {
        redis.flushAll();
        Long[] keys = new Long[BenchDatabase.PRODUCTS + 1];
        for (int i = 0; i <= BenchDatabase.PRODUCTS; i++) {
            keys[i] = (long) i;
        }
        // Warm-up on (it finds nothing to warm): remembered hot keys are only saved when warming is enabled.
        Timeline steady = runInstance(redis, database, keys, "before the restart (steady state)", true);
        List<Timeline> restarts = new ArrayList<>();
        restarts.add(runInstance(redis, database, keys, "warming: remembered hot keys, L2 first", true));
        restarts.add(runInstance(redis, database, keys, "no warming, L2 kept", false));
        redis.deleteMatching("cache-warming:products:*");
        restarts.add(runInstance(redis, database, keys, "warming: remembered hot keys, L2 empty", true));
        redis.flushAll();
        restarts.add(runInstance(redis, database, keys, "no warming, L2 empty (or Caffeine alone)", false));

        double steadyQueries = steady.meanQueries(SECONDS - 10, SECONDS);
        Report report = new Report("cold-start", "Cold start: Zipf(0.99) over 100k products, "
                + String.format("%,d", RATE) + " requests/s, first " + SECONDS + " s after readiness");
        report.header("instance", "keys warmed", "warm-up, s", "DB queries/s, first 10 s", "ratio to steady state",
                "DB queries/s, 10-60 s", "L1 hit rate, first 10 s", "L1 hit rate, 50-60 s");
        report.row("steady state (last 10 s of the first instance's 60 s)", "-", "-", steadyQueries, 1.0, "-", "-",
                steady.meanL1HitRate(SECONDS - 10, SECONDS));
        for (Timeline run : restarts) {
            report.row(run.name(), run.warmed(), run.readySeconds(), run.meanQueries(0, 10),
                    run.meanQueries(0, 10) / steadyQueries, run.meanQueries(10, SECONDS), run.meanL1HitRate(0, 10),
                    run.meanL1HitRate(SECONDS - 10, SECONDS));
        }
        report.note("Every instance is a fresh Spring Boot context on the same PostgreSQL and Redis; the first ran "
                + SECONDS + " s from empty caches, remembering every call (`remember.sample-rate=1.0`, `capacity` "
                + "and `max-keys` 50,000), and saved its hot keys to Redis when it stopped. DB queries count "
                + "single-row SELECTs and batch SELECTs alike (one batch of 100 keys = 1 query).");
        report.write();

        List<Charts.Line> queryLines = new ArrayList<>();
        List<Charts.Line> hitLines = new ArrayList<>();
        double[] flat = new double[SECONDS];
        java.util.Arrays.fill(flat, steadyQueries);
        queryLines.add(new Charts.Line("steady state before the restart", steady.seconds(), flat, true));
        for (Timeline run : restarts) {
            queryLines.add(new Charts.Line(run.name(), run.seconds(), run.queriesPerSecond(), false));
            hitLines.add(new Charts.Line(run.name(), run.seconds(), run.l1HitRate(), false));
        }
        hitLines.add(new Charts.Line("before the restart", steady.seconds(), steady.l1HitRate(), true));
        Charts.lines("cold-start-db", "Database queries/s after readiness (" + String.format("%,d", RATE)
                + " requests/s)", "seconds after readiness", "DB queries/s (log)", queryLines, true);
        Charts.lines("cold-start-hit-rate", "L1 hit rate after readiness", "seconds after readiness",
                "L1 hit rate", hitLines, false);
    }

    private static Timeline runInstance(BenchRedis redis, BenchDatabase database, Long[] keys, String name,
            boolean warming) throws InterruptedException {
        long began = System.nanoTime();
        try (ConfigurableApplicationContext instance = Instances.start(ColdStartApplication.class,
                Instances.concat(redis.springProperties(), database.springProperties(), new String[] {
                        // Warm-up on or off; hot keys are remembered and saved either way.
                        "cache-warming.warmup.enabled=" + warming, "cache-warming.warmup.max-keys=50000",
                        "cache-warming.warmup.remember.capacity=50000",
                        "cache-warming.warmup.remember.sample-rate=1.0", "cache-warming.warmup.budget=60s",
                        "cache-warming.defaults.l1-max-size=120000", "cache-warming.defaults.ttl=30m" }))) {
            long warmed = 0;
            if (warming) {
                CacheWarming cacheWarming = instance.getBean(CacheWarming.class);
                Instances.awaitWarmedUp(cacheWarming);
                CacheWarmupProgress progress = cacheWarming.progress().get("products");
                warmed = (progress != null) ? progress.fromL2() + progress.loaded() : 0;
            }
            double ready = (System.nanoTime() - began) / 1e9;
            TieredCache cache = instance.getBean(TieredCacheRegistry.class).find("products");
            Catalog catalog = instance.getBean(Catalog.class);
            Timeline timeline = traffic(name, catalog, cache, keys, ready, warmed);
            System.out.printf("%s: ready in %.2f s, %d warmed, DB q/s first 10 s %.1f%n", name, ready, warmed,
                    timeline.meanQueries(0, 10));
            return timeline;
        }
    }

    private static Timeline traffic(String name, Catalog catalog, TieredCache cache, Long[] keys, double ready,
            long warmed) throws InterruptedException {
        LongAdder requests = new LongAdder();
        long start = System.nanoTime();
        PacedZipfReaders readers = new PacedZipfReaders(READERS, RATE, BenchDatabase.PRODUCTS, start,
                start + SECONDS * 1_000_000_000L, (rank, sequence) -> {
                    catalog.find(keys[rank]);
                    requests.increment();
                });
        double[] seconds = new double[SECONDS];
        double[] queriesPerSecond = new double[SECONDS];
        double[] l1HitRate = new double[SECONDS];
        double[] hitRate = new double[SECONDS];
        long lastQueries = queries.sum();
        long lastRequests = 0;
        long lastHits = cache.stats().l1Hits();
        for (int s = 0; s < SECONDS; s++) {
            long wake = start + (s + 1) * 1_000_000_000L;
            while (System.nanoTime() < wake) {
                LockSupport.parkNanos(wake - System.nanoTime());
            }
            long q = queries.sum();
            long r = requests.sum();
            long h = cache.stats().l1Hits();
            seconds[s] = s + 1;
            queriesPerSecond[s] = q - lastQueries;
            double served = Math.max(1, r - lastRequests);
            l1HitRate[s] = (h - lastHits) / served;
            hitRate[s] = 1 - (q - lastQueries) / served;
            lastQueries = q;
            lastRequests = r;
            lastHits = h;
        }
        readers.join();
        return new Timeline(name, seconds, queriesPerSecond, l1HitRate, hitRate, ready, warmed);
    }

    private ColdStartBenchmark() {
    }
}
