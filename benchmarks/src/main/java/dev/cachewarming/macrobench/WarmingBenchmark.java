package dev.cachewarming.macrobench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.LongStream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.warming.CacheWarming;
import dev.cachewarming.warming.CacheWarmupProgress;

/**
 * Macro benchmarks 3 and 5: 100k products from PostgreSQL into L1 + L2 (a naive hand-written loop, ours key by key,
 * ours batched), against the physical limit measured in the same run ({@code redis-benchmark -P 16 -t set} and a
 * PostgreSQL {@code COPY}); then the time to ready of an instance whose 100k keys come from L2 instead.
 */
public final class WarmingBenchmark {

    static final RowMapper<Product> ROWS = (rs, n) -> BenchDatabase.product(rs);

    static final String BY_ID = "SELECT " + BenchDatabase.COLUMNS + " FROM bench_product WHERE id = ?";

    /** An instance whose {@code @Warmable} method warms all 100k products; {@code bench.variant} picks how. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class WarmingApplication {

        @Bean
        ProductIds productIds() {
            return new ProductIds();
        }

        @Bean
        @ConditionalOnProperty(name = "bench.variant", havingValue = "per-key")
        PerKeyProducts perKeyProducts(JdbcTemplate jdbc) {
            return new PerKeyProducts(jdbc);
        }

        @Bean
        @ConditionalOnProperty(name = "bench.variant", havingValue = "batched")
        BatchedProducts batchedProducts(JdbcTemplate jdbc) {
            return new BatchedProducts(jdbc);
        }

        /** Spring Data JDBC's repository, warmed through {@code findAllById} automatically. */
        @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
        @ConditionalOnProperty(name = "bench.variant", havingValue = "find-all-by-id")
        @org.springframework.data.jdbc.repository.config.EnableJdbcRepositories(
                basePackageClasses = dev.cachewarming.macrobenchjdbc.ProductRepository.class)
        static class RepositoryVariant {
        }

        @Bean
        @ConditionalOnProperty(name = "bench.variant", havingValue = "saturated-db")
        SaturatedDatabaseProducts saturatedDatabaseProducts(JdbcTemplate jdbc) {
            return new SaturatedDatabaseProducts(jdbc);
        }
    }

    /**
     * Warmed in batches from a database that can run one batch query at a time: each query first takes the same
     * PostgreSQL advisory lock and holds it 50 ms (a saturated database, where more queries at once only queue,
     * each holding a connection).
     */
    public static class SaturatedDatabaseProducts extends BatchedProducts {

        SaturatedDatabaseProducts(JdbcTemplate jdbc) {
            super(jdbc);
        }

        @Override
        String batchQuery() {
            return "SELECT " + BenchDatabase.COLUMNS
                    + " FROM bench_product, (SELECT pg_advisory_xact_lock(4242), pg_sleep(0.05)) AS busy"
                    + " WHERE id = ANY(?)";
        }
    }

    /** The keys to warm: every product. */
    public static class ProductIds {

        public List<Long> all() {
            return LongStream.rangeClosed(1, BenchDatabase.PRODUCTS).boxed().toList();
        }
    }

    /** Warmed key by key: one query per product. */
    public static class PerKeyProducts {

        private final JdbcTemplate jdbc;

        PerKeyProducts(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Warmable(cacheName = "products", keys = "@productIds.all()", remember = false)
        @StampedeProtected(cacheName = "products")
        public Product find(Long id) {
            return this.jdbc.queryForObject(BY_ID, ROWS, id);
        }
    }

    /** Warmed in batches: one {@code WHERE id = ANY(?)} query per batch. */
    public static class BatchedProducts {

        private final JdbcTemplate jdbc;

        BatchedProducts(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Warmable(cacheName = "products", keys = "@productIds.all()", batchMethod = "findAll", batchKey = "id",
                remember = false)
        @StampedeProtected(cacheName = "products")
        public Product find(Long id) {
            return this.jdbc.queryForObject(BY_ID, ROWS, id);
        }

        public List<Product> findAll(Collection<Long> ids) {
            return this.jdbc.query((connection) -> {
                PreparedStatement statement = connection.prepareStatement(batchQuery());
                statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                return statement;
            }, ROWS);
        }

        String batchQuery() {
            return "SELECT " + BenchDatabase.COLUMNS + " FROM bench_product WHERE id = ANY(?)";
        }
    }

    record Timing(Duration startupToReady, Duration warmup, long fromL2, long loaded, int maxLoadsAtOnce,
            int limitAtEnd, double meanLoadsAtOnce) {

        double keysPerSecond() {
            return (this.fromL2 + this.loaded) / (this.warmup.toNanos() / 1e9);
        }
    }

    /** Runs the variants and writes {@code warming.md}. */
    public static void run(BenchRedis redis, BenchDatabase database) throws Exception {
        int n = BenchDatabase.PRODUCTS;
        // Warm the database's buffer cache and the JIT a little the same way for every variant.
        database.copyAll();

        redis.flushAll();
        double naive = naiveLoop(redis, database);
        redis.flushAll();
        Timing perKeyFromDb = startAndWarm(redis, database, "per-key");
        Timing perKeyFromL2 = startAndWarm(redis, database, "per-key");
        redis.flushAll();
        Timing batchedFromDb = startAndWarm(redis, database, "batched");
        int valueBytes = valueSize(redis);
        Timing batchedFromL2 = startAndWarm(redis, database, "batched");
        redis.flushAll();
        Timing findAllById = startAndWarm(redis, database, "find-all-by-id");

        long copyStart = System.nanoTime();
        long copied = database.copyAll();
        double copyRate = copied / ((System.nanoTime() - copyStart) / 1e9);
        redis.flushAll();
        double redisRate = redis.redisBenchmarkSet(n, valueBytes);
        double limit = Math.min(copyRate, redisRate);

        Report report = new Report("warming", "Warming throughput: " + String.format("%,d", n)
                + " products from PostgreSQL into L1 + L2 (values of " + valueBytes + " bytes in Redis)");
        report.header("variant", "keys/s", "ratio to the limit", "100k keys in, s");
        report.row("physical limit, Redis: `redis-benchmark -P 16 -t set -d " + valueBytes + "`", redisRate,
                redisRate / limit, n / redisRate);
        report.row("physical limit, PostgreSQL: `COPY (SELECT ...) TO STDOUT`", copyRate, copyRate / limit,
                n / copyRate);
        report.row("naive loop: one SELECT + one SET per key, one thread", naive, naive / limit, n / naive);
        report.row("cache-warming, key by key (`@Warmable(keys = ...)`)", perKeyFromDb.keysPerSecond(),
                perKeyFromDb.keysPerSecond() / limit, perKeyFromDb.warmup().toMillis() / 1000.0);
        report.row("cache-warming, batched (`batchMethod = \"findAll\"`, `WHERE id = ANY(?)`)",
                batchedFromDb.keysPerSecond(), batchedFromDb.keysPerSecond() / limit,
                batchedFromDb.warmup().toMillis() / 1000.0);
        report.row("cache-warming, automatic `findAllById` (a Spring Data JDBC repository's `@Warmable findById`, "
                + "no batch method declared)", findAllById.keysPerSecond(), findAllById.keysPerSecond() / limit,
                findAllById.warmup().toMillis() / 1000.0);
        report.note("The limit is the slower of the two sides (" + Report.format(limit)
                + " keys/s). Defaults: `concurrency` 8 (adaptive), `batch-size` 1,000.");
        report.write();

        redis.flushAll();
        Timing saturatedFixed = startAndWarm(redis, database, "saturated-db",
                "cache-warming.warmup.adaptive-concurrency=false");
        redis.flushAll();
        Timing saturatedAdaptive = startAndWarm(redis, database, "saturated-db");
        Report saturated = new Report("warming-saturated-db", "Warming from a saturated database: fixed and "
                + "adaptive loads at once (100k keys, batches of 1,000, `concurrency` 8)");
        saturated.header("loads at once", "keys/s", "batch queries at once, mean", "most at once", "limit at the end");
        saturated.row("fixed (`adaptive-concurrency=false`)", saturatedFixed.keysPerSecond(),
                saturatedFixed.meanLoadsAtOnce(), saturatedFixed.maxLoadsAtOnce(), saturatedFixed.limitAtEnd());
        saturated.row("adaptive (default: Netflix concurrency-limits `GradientLimit`)",
                saturatedAdaptive.keysPerSecond(), saturatedAdaptive.meanLoadsAtOnce(),
                saturatedAdaptive.maxLoadsAtOnce(), saturatedAdaptive.limitAtEnd());
        saturated.note("Each batch query takes one PostgreSQL advisory lock and holds it 50 ms, so the database runs "
                + "one batch at a time: more queries at once only wait inside it, each holding a connection.");
        saturated.write();

        Report ready = new Report("time-to-ready", "Time to ready with 100k hot keys");
        ready.header("instance", "warm-up, s", "start to ready, s", "keys from L2", "keys from the database");
        ready.row("key by key, from the database (Redis empty)", seconds(perKeyFromDb.warmup()),
                seconds(perKeyFromDb.startupToReady()), perKeyFromDb.fromL2(), perKeyFromDb.loaded());
        ready.row("key by key, from L2 (Redis filled by a previous instance)", seconds(perKeyFromL2.warmup()),
                seconds(perKeyFromL2.startupToReady()), perKeyFromL2.fromL2(), perKeyFromL2.loaded());
        ready.row("batched, from the database (Redis empty)", seconds(batchedFromDb.warmup()),
                seconds(batchedFromDb.startupToReady()), batchedFromDb.fromL2(), batchedFromDb.loaded());
        ready.row("batched, from L2", seconds(batchedFromL2.warmup()), seconds(batchedFromL2.startupToReady()),
                batchedFromL2.fromL2(), batchedFromL2.loaded());
        ready.note("Start to ready = from `SpringApplication.run` to the end of the warm-up (when the readiness "
                + "gate opens), including the context's own startup.");
        ready.write();
    }

    /**
     * Runs one variant alone, for profiling: {@code java ... WarmingBenchmark batched|per-key [from-l2]}
     * (with {@code -XX:StartFlightRecording} for JFR). Redis starts empty unless {@code from-l2} is given, which
     * warms twice and reports the second run.
     */
    public static void main(String[] args) throws Exception {
        BenchDatabase database = new BenchDatabase();
        database.seed();
        try (BenchRedis redis = new BenchRedis()) {
            if (args.length > 2 && args[1].equals("repeat")) {
                repeat(redis, database, args[0], Integer.parseInt(args[2]));
            }
            else {
                Timing timing = startAndWarm(redis, database, args[0]);
                if (args.length > 1 && args[1].equals("from-l2")) {
                    timing = startAndWarm(redis, database, args[0]);
                }
                System.out.println(args[0] + ": " + String.format("%,.0f keys/s", timing.keysPerSecond()));
            }
        }
        System.exit(0);
    }

    /**
     * One instance, warmed {@code times} times from the database (Redis flushed, L1 cleared) and as many times from
     * L2 (L1 cleared): steady-state figures with a compiled JIT, and a clean window for a profiler.
     */
    private static void repeat(BenchRedis redis, BenchDatabase database, String variant, int times) throws Exception {
        try (ConfigurableApplicationContext instance = Instances.start(WarmingApplication.class,
                Instances.concat(redis.springProperties(), database.springProperties(),
                        new String[] { "bench.variant=" + variant, "cache-warming.warmup.max-keys=100000",
                                "cache-warming.warmup.budget=5m", "cache-warming.defaults.l1-max-size=100000",
                                "cache-warming.warmup.remember.enabled=false" },
                        extraProperties()))) {
            CacheWarming warming = instance.getBean(CacheWarming.class);
            Instances.awaitWarmedUp(warming);
            dev.cachewarming.cache.TieredCache cache = instance
                .getBean(dev.cachewarming.cache.TieredCacheRegistry.class).find("products");
            for (String from : new String[] { "database", "L2" }) {
                for (int i = 0; i < times; i++) {
                    if (from.equals("database")) {
                        redis.flushAll();
                    }
                    cache.clearLocal();
                    long[] cpu0 = cpuMillis(redis.port());
                    warming.rewarm("products").get();
                    long[] cpu1 = cpuMillis(redis.port());
                    System.out.printf("CPU ms: jvm %d, redis %d, postgres %d%n", cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], cpu1[2] - cpu0[2]);
                    CacheWarmupProgress progress = warming.progress().get("products");
                    System.out.printf("%s from %s: %,.0f keys/s (%d ms; from L2 %d, loaded %d)%n", variant, from,
                            progress.keysPerSecond(), progress.elapsed().toMillis(), progress.fromL2(),
                            progress.loaded());
                }
            }
        }
    }

    /**
     * @return CPU time used so far, milliseconds: this JVM, the benchmark's {@code redis-server}, and every
     * PostgreSQL process (from {@code /proc}; zeros where it cannot be read)
     */
    static long[] cpuMillis(int redisPort) {
        long redisCpu = 0;
        long postgres = 0;
        java.io.File[] processes = new java.io.File("/proc").listFiles();
        for (java.io.File process : (processes != null) ? processes : new java.io.File[0]) {
            if (!process.getName().chars().allMatch(Character::isDigit)) {
                continue;
            }
            try {
                String command = java.nio.file.Files.readString(new java.io.File(process, "cmdline").toPath());
                boolean redis = command.contains("redis-server") && command.contains(":" + redisPort);
                if (!redis && !command.startsWith("postgres")) {
                    continue;
                }
                String stat = java.nio.file.Files.readString(new java.io.File(process, "stat").toPath());
                // Fields after the command name, which may hold spaces: state is the 3rd, utime and stime 14th, 15th.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // USER_HZ 100
                if (redis) {
                    redisCpu += millis;
                }
                else {
                    postgres += millis;
                }
            }
            catch (java.io.IOException | RuntimeException ex) {
                // The process ended meanwhile.
            }
        }
        long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
        return new long[] { jvm, redisCpu, postgres };
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static Timing startAndWarm(BenchRedis redis, BenchDatabase database, String variant,
            String... properties) {
        return startAndWarm(redis.springProperties(), database, variant, (instance) -> {
        }, properties);
    }

    /**
     * Starts an instance of {@link WarmingApplication} on the shared tier the given properties configure, waits
     * for its warm-up and runs {@code then} on it before closing it.
     */
    static Timing startAndWarm(String[] tierProperties, BenchDatabase database, String variant,
            java.util.function.Consumer<ConfigurableApplicationContext> then, String... properties) {
        long began = System.nanoTime();
        try (ConfigurableApplicationContext instance = Instances.start(WarmingApplication.class,
                Instances.concat(tierProperties, database.springProperties(),
                        new String[] { "bench.variant=" + variant, "cache-warming.warmup.max-keys=100000",
                                "cache-warming.warmup.budget=5m", "cache-warming.defaults.l1-max-size=100000",
                                "cache-warming.warmup.remember.enabled=false" },
                        properties, extraProperties()))) {
            CacheWarming warming = instance.getBean(CacheWarming.class);
            Instances.awaitWarmedUp(warming);
            Duration startupToReady = Duration.ofNanos(System.nanoTime() - began);
            CacheWarmupProgress progress = warming.progress().get("products");
            Timing timing = new Timing(startupToReady, progress.elapsed(), progress.fromL2(), progress.loaded(),
                    progress.maxConcurrentLoads(), progress.concurrencyLimit(), progress.meanConcurrentLoads());
            System.out.println(variant + ": " + timing + " " + warming.state());
            then.accept(instance);
            return timing;
        }
    }

    /** @return properties given with {@code -Dbench.properties=a=1,b=2}, to try settings one run at a time */
    private static String[] extraProperties() {
        String extra = System.getProperty("bench.properties", "");
        return extra.isBlank() ? new String[0] : extra.split(",");
    }

    private static int valueSize(BenchRedis redis) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = connection.sync().randomkey();
            return (int) (long) connection.sync().strlen(key);
        }
        finally {
            client.shutdown();
        }
    }

    /** One thread, one query and one SET per key, and a Caffeine put: what a hand-written warm-up loop does. */
    private static double naiveLoop(BenchRedis redis, BenchDatabase database) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        Cache<Long, Product> l1 = Caffeine.newBuilder().maximumSize(BenchDatabase.PRODUCTS).build();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
                Connection jdbc = database.connect();
                PreparedStatement statement = jdbc.prepareStatement(BY_ID)) {
            RedisCommands<byte[], byte[]> commands = connection.sync();
            SetArgs ttl = SetArgs.Builder.px(600_000);
            long began = System.nanoTime();
            for (long id = 1; id <= BenchDatabase.PRODUCTS; id++) {
                statement.setLong(1, id);
                Product product;
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    product = BenchDatabase.product(rs);
                }
                commands.set(("naive:products:" + id).getBytes(), json.writeValueAsBytes(product), ttl);
                l1.put(id, product);
            }
            return BenchDatabase.PRODUCTS / ((System.nanoTime() - began) / 1e9);
        }
        finally {
            client.shutdown();
        }
    }

    private WarmingBenchmark() {
    }
}
