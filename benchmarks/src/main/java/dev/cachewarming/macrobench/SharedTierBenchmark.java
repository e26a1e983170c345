package dev.cachewarming.macrobench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.context.ConfigurableApplicationContext;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.memcached.MemcachedServer;

/**
 * Redis beside Memcached as the shared tier: warming 100k products from PostgreSQL into L1 + L2, warming them
 * from L2, and reads that miss L1 and hit L2 (through the {@code @StampedeProtected} method), each against the
 * store's physical limit measured in the same run with the same raw-socket client ({@link RawStoreClient}).
 */
final class SharedTierBenchmark {

    private static final int[] READ_THREADS = { 1, 4 };

    private SharedTierBenchmark() {
    }

    private record Tier(String name, String[] properties, RawStoreClient.Protocol protocol, int port,
            Runnable flush) {
    }

    private record Result(WarmingBenchmark.Timing fromDatabase, WarmingBenchmark.Timing fromL2, double[] reads,
            long[] loads) {
    }

    static void run(BenchRedis redis, BenchDatabase database) throws Exception {
        database.copyAll();
        MemcachedServer memcached = MemcachedServer.startOnFreePort(512);
        try {
            Tier redisTier = new Tier("Redis", redis.springProperties(), RawStoreClient.Protocol.REDIS, redis.port(),
                    redis::flushAll);
            // invalidations=none: nothing of the run reaches a Redis, as it would not in a Memcached-only fleet.
            Tier memcachedTier = new Tier("Memcached", Instances.concat(redis.springProperties(), new String[] {
                    "cache-warming.memcached.servers=" + memcached.address(),
                    "cache-warming.memcached.invalidations=none" }), RawStoreClient.Protocol.MEMCACHED,
                    memcached.port(), memcached::flushAll);
            List<Tier> tiers = List.of(redisTier, memcachedTier);
            List<Result> results = new ArrayList<>();
            for (Tier tier : tiers) {
                results.add(measure(tier, database));
            }
            int valueBytes = memcached.get("cache-warming:products:1").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            int n = BenchDatabase.PRODUCTS;

            Report report = new Report("shared-tier", "Redis and Memcached as the shared tier: 100k products (values of "
                    + valueBytes + " bytes)");
            report.header("", "Redis", "Memcached");
            report.row("warming from PostgreSQL into L1 + L2, batched, keys/s",
                    results.get(0).fromDatabase().keysPerSecond(), results.get(1).fromDatabase().keysPerSecond());
            report.row("warming from L2 (a second instance), keys/s", results.get(0).fromL2().keysPerSecond(),
                    results.get(1).fromL2().keysPerSecond());
            for (int i = 0; i < READ_THREADS.length; i++) {
                report.row("hit through L2 (L1 miss, L2 hit, via the annotated method, after a warm-up pass), reads/s, " + READ_THREADS[i]
                        + " thread(s)", results.get(0).reads()[i], results.get(1).reads()[i]);
            }
            double[][] limits = new double[tiers.size()][];
            for (int t = 0; t < tiers.size(); t++) {
                Tier tier = tiers.get(t);
                tier.flush().run();
                double set = RawStoreClient.rate(tier.protocol(), tier.port(), 4, 16, n, valueBytes, true);
                double get = RawStoreClient.rate(tier.protocol(), tier.port(), 4, 16, n, valueBytes, false);
                double get1 = RawStoreClient.rate(tier.protocol(), tier.port(), 1, 1, n / 4, valueBytes, false);
                double get4 = RawStoreClient.rate(tier.protocol(), tier.port(), 4, 1, n / 2, valueBytes, false);
                double client = clientGets(tier, n / 4);
                limits[t] = new double[] { set, get, get1, get4, client };
                tier.flush().run();
            }
            for (int i = 0; i < READ_THREADS.length; i++) {
                report.row("of which L2 misses (a key the warm-up did not get into L2: loaded), " + READ_THREADS[i]
                        + " thread(s)", results.get(0).loads()[i], results.get(1).loads()[i]);
            }
            report.row("limit: raw SET, 16 per round trip, 4 connections, /s", limits[0][0], limits[1][0]);
            report.row("limit: raw GET, 16 per round trip, 4 connections, /s", limits[0][1], limits[1][1]);
            report.row("limit: raw GET, one per round trip, 1 connection, /s", limits[0][2], limits[1][2]);
            report.row("limit: raw GET, one per round trip, 4 connections, /s", limits[0][3], limits[1][3]);
            report.row("the client alone (Lettuce / xmemcached), synchronous GET, 1 thread, /s", limits[0][4],
                    limits[1][4]);
            report.row("warming from PostgreSQL / raw pipelined SET", results.get(0).fromDatabase().keysPerSecond()
                    / limits[0][0], results.get(1).fromDatabase().keysPerSecond() / limits[1][0]);
            report.row("warming from L2 / raw pipelined GET", results.get(0).fromL2().keysPerSecond() / limits[0][1],
                    results.get(1).fromL2().keysPerSecond() / limits[1][1]);
            report.row("hit through L2, 1 thread / raw GET, 1 connection", results.get(0).reads()[0] / limits[0][2],
                    results.get(1).reads()[0] / limits[1][2]);
            report.row("hit through L2, 4 threads / raw GET, 4 connections", results.get(0).reads()[1] / limits[0][3],
                    results.get(1).reads()[1] / limits[1][3]);
            report.note("Limits: the same raw-socket client for both stores (`RawStoreClient`: RESP for Redis, the "
                    + "text protocol for Memcached; neither `memtier_benchmark` nor `mc-crusher` is packaged by Debian). "
                    + "Memcached without an invalidation channel (`cache-warming.memcached.invalidations=none`); Redis "
                    + "publishes its invalidations as usual. Defaults otherwise: `concurrency` 8 (adaptive), "
                    + "`batch-size` 1,000, `command-timeout` 250ms.");
            report.write();
        }
        finally {
            memcached.close();
        }
    }

    /** The tier's client library alone: synchronous GETs of the raw client's keys, one thread, after a warm-up. */
    private static double clientGets(Tier tier, int requests) throws Exception {
        if (tier.protocol() == RawStoreClient.Protocol.MEMCACHED) {
            net.rubyeye.xmemcached.MemcachedClient client = new net.rubyeye.xmemcached.XMemcachedClientBuilder(
                    List.of(new java.net.InetSocketAddress("127.0.0.1", tier.port()))).build();
            try {
                return timedGets(requests, (key) -> client.get(key, 1000));
            }
            finally {
                client.shutdown();
            }
        }
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + tier.port());
        try (io.lettuce.core.api.StatefulRedisConnection<String, String> connection = client.connect()) {
            return timedGets(requests, (key) -> connection.sync().get(key));
        }
        finally {
            client.shutdown();
        }
    }

    private interface Get {

        Object get(String key) throws Exception;
    }

    private static double timedGets(int requests, Get get) throws Exception {
        for (int i = 0; i < requests; i++) {
            get.get("raw:" + i);
        }
        long began = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            if (get.get("raw:" + i) == null) {
                throw new IllegalStateException("raw:" + i + " is missing");
            }
        }
        return requests / ((System.nanoTime() - began) / 1e9);
    }

    private static Result measure(Tier tier, BenchDatabase database) {
        tier.flush().run();
        WarmingBenchmark.Timing fromDatabase = WarmingBenchmark.startAndWarm(tier.properties(), database, "batched",
                (instance) -> {
                });
        double[] reads = new double[READ_THREADS.length];
        long[] loads = new long[READ_THREADS.length];
        WarmingBenchmark.Timing fromL2 = WarmingBenchmark.startAndWarm(tier.properties(), database, "batched",
                (instance) -> {
                    // One untimed pass first, so the read path is compiled (JIT) before it is measured.
                    hitThroughL2(instance, 2);
                    for (int i = 0; i < READ_THREADS.length; i++) {
                        TieredCache cache = instance.getBean(TieredCacheRegistry.class).find("products");
                        long before = cache.stats().loadSuccesses();
                        reads[i] = hitThroughL2(instance, READ_THREADS[i]);
                        loads[i] = cache.stats().loadSuccesses() - before;
                    }
                });
        System.out.printf("%s: from the database %,.0f keys/s, from L2 %,.0f keys/s, hit through L2 %,.0f / %,.0f reads/s%n",
                tier.name(), fromDatabase.keysPerSecond(), fromL2.keysPerSecond(), reads[0], reads[1]);
        return new Result(fromDatabase, fromL2, reads, loads);
    }

    /** Every product read once through the annotated method, right after L1 was emptied: each read is an L2 hit. */
    private static double hitThroughL2(ConfigurableApplicationContext instance, int threads) {
        WarmingBenchmark.BatchedProducts products = instance.getBean(WarmingBenchmark.BatchedProducts.class);
        TieredCache cache = instance.getBean(TieredCacheRegistry.class).find("products");
        cache.clearLocal();
        int n = BenchDatabase.PRODUCTS;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> runs = new ArrayList<>();
            long began = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int first = t;
                runs.add(pool.submit(() -> {
                    for (long id = 1 + first; id <= n; id += threads) {
                        products.find(id);
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            return n / ((System.nanoTime() - began) / 1e9);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        finally {
            pool.shutdownNow();
        }
    }
}
