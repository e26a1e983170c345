package dev.cachewarming.macrobench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.cachewarming.annotation.StampedeProtected;

/**
 * Macro benchmark 1: four application instances share one Redis; 200 threads in each call the same uncached key at
 * once; the load takes 500 ms. Counts loader calls for no protection, Spring's {@code @Cacheable(sync = true)} on
 * a Caffeine and on a Redis cache manager, and {@code @StampedeProtected}.
 */
public final class StampedeBenchmark {

    static final int INSTANCES = 4;

    static final int THREADS_PER_INSTANCE = 200;

    static final int ROUNDS = 5;

    static final long LOAD_MILLIS = 500;

    static final AtomicInteger loads = new AtomicInteger();

    /** One instance; {@code bench.cache-manager} picks Spring's cache manager for the {@code @Cacheable} method. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableCaching
    public static class StampedeApplication {

        @Bean
        Catalog catalog() {
            return new Catalog();
        }

        @Bean
        @ConditionalOnProperty(name = "bench.cache-manager", havingValue = "caffeine")
        CacheManager caffeineCacheManager() {
            return new CaffeineCacheManager();
        }

        @Bean
        @ConditionalOnProperty(name = "bench.cache-manager", havingValue = "redis")
        CacheManager redisCacheManager(RedisConnectionFactory connectionFactory) {
            return RedisCacheManager.create(connectionFactory);
        }

        @Bean
        @ConditionalOnProperty(name = "bench.cache-manager", havingValue = "redis-locking")
        CacheManager lockingRedisCacheManager(RedisConnectionFactory connectionFactory) {
            // Spring Data Redis's opt-in lock: one lock key per cache name, held while a value is written.
            return RedisCacheManager.builder(RedisCacheWriter.lockingRedisCacheWriter(connectionFactory)).build();
        }
    }

    /** The same slow "query" behind every variant. */
    public static class Catalog {

        public String unprotected(long id) {
            return load(id);
        }

        @Cacheable(cacheNames = "spring-sync", sync = true)
        public String cacheableSync(Long id) {
            return load(id);
        }

        @StampedeProtected(cacheName = "ours")
        public String ours(Long id) {
            return load(id);
        }

        static String load(long id) {
            loads.incrementAndGet();
            try {
                // Stands in for a slow query: a stampede is many callers waiting on one slow load.
                Thread.sleep(LOAD_MILLIS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return "product-" + id;
        }
    }

    private record Variant(String name, String cacheManager, LongFunctionOn call) {
    }

    @FunctionalInterface
    private interface LongFunctionOn {

        String call(Catalog catalog, long id);
    }

    /** Runs every variant and writes {@code stampede.md}. */
    public static void run(BenchRedis redis) throws Exception {
        List<Variant> variants = List.of(new Variant("no protection", "none", Catalog::unprotected),
                new Variant("Spring `@Cacheable(sync = true)`, `CaffeineCacheManager`", "caffeine",
                        Catalog::cacheableSync),
                new Variant("Spring `@Cacheable(sync = true)`, `RedisCacheManager`", "redis", Catalog::cacheableSync),
                new Variant("Spring `@Cacheable(sync = true)`, `RedisCacheManager` + `lockingRedisCacheWriter`",
                        "redis-locking", Catalog::cacheableSync),
                new Variant("cache-warming `@StampedeProtected`", "none", Catalog::ours));
        Report report = new Report("stampede", "Stampede: " + INSTANCES + " instances x " + THREADS_PER_INSTANCE
                + " threads, one key, " + LOAD_MILLIS + " ms load");
        report.header("variant", "loader calls per round (" + ROUNDS + " rounds)", "median", "slowest caller, ms");
        for (Variant variant : variants) {
            redis.flushAll();
            List<ConfigurableApplicationContext> instances = new ArrayList<>();
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    instances.add(Instances.start(StampedeApplication.class, Instances.concat(redis.springProperties(),
                            new String[] { "bench.cache-manager=" + variant.cacheManager(),
                                    "cache-warming.warmup.enabled=false",
                                    "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure."
                                            + "DataSourceAutoConfiguration" })));
                }
                List<Catalog> catalogs = instances.stream().map((c) -> c.getBean(Catalog.class)).toList();
                int[] perRound = new int[ROUNDS];
                long slowest = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    long id = 1_000 + round;
                    loads.set(0);
                    slowest = Math.max(slowest, stampede(catalogs, variant.call(), id));
                    perRound[round] = loads.get();
                }
                int[] sorted = perRound.clone();
                Arrays.sort(sorted);
                report.row(variant.name(), Arrays.toString(perRound), sorted[ROUNDS / 2], slowest);
            }
            finally {
                instances.forEach(ConfigurableApplicationContext::close);
            }
        }
        report.note("Each instance is a separate Spring Boot context with its own Lettuce connection and caches; "
                + "all " + (INSTANCES * THREADS_PER_INSTANCE) + " threads are released together by one latch.");
        report.write();
    }

    /** @return the slowest caller's time, ms */
    private static long stampede(List<Catalog> catalogs, LongFunctionOn call, long id) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(catalogs.size() * THREADS_PER_INSTANCE);
        AtomicInteger failures = new AtomicInteger();
        long[] slowest = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (Catalog catalog : catalogs) {
            for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        long began = System.nanoTime();
                        String value = call.call(catalog, id);
                        long took = (System.nanoTime() - began) / 1_000_000;
                        if (!("product-" + id).equals(value)) {
                            failures.incrementAndGet();
                        }
                        synchronized (slowest) {
                            slowest[0] = Math.max(slowest[0], took);
                        }
                    }
                    catch (Exception ex) {
                        failures.incrementAndGet();
                    }
                    finally {
                        done.countDown();
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }
        start.countDown();
        done.await();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " callers failed or got a wrong value");
        }
        return slowest[0];
    }

    private StampedeBenchmark() {
    }
}
