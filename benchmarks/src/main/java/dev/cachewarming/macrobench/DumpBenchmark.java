package dev.cachewarming.macrobench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import dev.cachewarming.redis.write.RedisDumpStore;
import dev.cachewarming.tools.CacheDumper;
import dev.cachewarming.tools.CachePopulator;
import dev.cachewarming.tools.DumpManifest;

/**
 * Dump and populate rates for 100k entries against the physical limit of the same machine: {@code redis-benchmark
 * -P 16 -t get} (a dump is a GET and a PTTL per key) and {@code -t set} (a populate is a SET PX NX per key), with
 * values of the same size. Dump and populate run as the command line does (a connection of their own with
 * auto-flush off, batches of 1000, chunks of 10000), in-process, median of 3 runs after one warm-up run.
 */
final class DumpBenchmark {

    static final int ENTRIES = 100_000;

    static final int VALUE_BYTES = 120;

    static void run(BenchRedis redis) throws Exception {
        redis.flushAll();
        seed(redis.port());
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        double[] dumpRates = new double[3];
        double[] populateRates = new double[3];
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            connection.setAutoFlushCommands(false);
            RedisDumpStore store = new RedisDumpStore(connection.async(), "bench", Duration.ofSeconds(30),
                    connection::flushCommands);
            for (int run = -1; run < 3; run++) {
                Path dir = Files.createTempDirectory("cache-dump-bench");
                long start = System.nanoTime();
                DumpManifest manifest = new CacheDumper(10_000, 1_000).dump(store, "products", dir,
                        System.currentTimeMillis());
                double dumpRate = manifest.entries() / ((System.nanoTime() - start) / 1e9);
                if (manifest.entries() != ENTRIES) {
                    throw new IllegalStateException("dumped " + manifest.entries());
                }
                redis.deleteMatching("bench:products:*");
                start = System.nanoTime();
                CachePopulator.Result result = new CachePopulator(1_000, 0).populate(dir, store, "bench",
                        System.currentTimeMillis());
                double populateRate = result.written() / ((System.nanoTime() - start) / 1e9);
                if (result.written() != ENTRIES) {
                    throw new IllegalStateException("populated " + result.written());
                }
                if (run >= 0) {
                    dumpRates[run] = dumpRate;
                    populateRates[run] = populateRate;
                }
                System.out.printf("run %d: dump %.0f entries/s, populate %.0f entries/s%n", run, dumpRate,
                        populateRate);
            }
        }
        finally {
            client.shutdown();
        }
        double get = redis.redisBenchmark("get", ENTRIES, VALUE_BYTES);
        double set = redis.redisBenchmark("set", ENTRIES, VALUE_BYTES);
        double dump = median(dumpRates);
        double populate = median(populateRates);
        Report report = new Report("dumps", "Dump & populate of 100k entries (" + VALUE_BYTES + "-byte values)");
        report.header("operation", "entries/s (median of 3)", "physical limit: redis-benchmark -P 16", "ratio");
        report.row("dump (SCAN + pipelined GET and PTTL, gzip chunks + SHA-256)", dump,
                "`-t get -d " + VALUE_BYTES + "`: " + Report.format(get), dump / get);
        report.row("populate (SHA-256 check, gunzip, pipelined SET PX NX)", populate,
                "`-t set -d " + VALUE_BYTES + "`: " + Report.format(set), populate / set);
        report.note("redis-benchmark sends one command per key with 50 connections; a dump sends two (GET, PTTL) on "
                + "one connection and compresses and checksums what it reads, a populate decompresses, checks and "
                + "writes on one connection. Reproduce with `benchmarks/run.sh dumps`.");
        report.write();
    }

    private static void seed(int port) throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] value = new byte[VALUE_BYTES];
            Arrays.fill(value, (byte) 'x');
            List<RedisFuture<String>> sets = new ArrayList<>();
            for (int i = 0; i < ENTRIES; i++) {
                sets.add(connection.async().set(("bench:products:" + i).getBytes(StandardCharsets.UTF_8), value,
                        SetArgs.Builder.px(3_600_000)));
            }
            for (RedisFuture<String> set : sets) {
                set.get();
            }
        }
        finally {
            client.shutdown();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private DumpBenchmark() {
    }
}
